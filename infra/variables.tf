variable "project_id" {
  description = "Google Cloud project id."
  type        = string
}

variable "region" {
  description = "Region for functions and regional resources (defaults to the manifest's region)."
  type        = string
  default     = null
}

variable "api_domain" {
  description = "Domain name of the public origin (API and portal); its DNS A record must point at the api_ip output for the managed certificate to be issued."
  type        = string
}

variable "portal_url" {
  description = "Public URL of the portal, used in e-mail links and as the authorized sign-in domain (defaults to https://<api_domain>)."
  type        = string
  default     = null
}

variable "vendor_org_id" {
  description = "Organisation id of the vendor's support team (the one `make bootstrap` creates)."
  type        = string
  default     = "support"
}

variable "cors_allowed_origins" {
  description = "Browser origins, besides the portal's own, allowed to call the API and upload to buckets. Empty (the safe default) allows the portal's origin only."
  type        = list(string)
  default     = []
}

variable "mail_from" {
  description = "Sender address of e-mails (defaults to support@<api_domain>); SendGrid must have this sender or its domain verified."
  type        = string
  default     = null
}

variable "sla_alert_email" {
  description = "Where notify sends SLA breach alerts (the support team's address; defaults to mail_from)."
  type        = string
  default     = null
}

variable "mail_from_name" {
  description = "Sender display name of e-mails."
  type        = string
  default     = "Support Center"
}

variable "secret_values" {
  description = "Optional initial values of the manifest's secrets (secret id => value). Left out, a placeholder version is created and the real value is added with `gcloud secrets versions add` (kept out of Terraform state)."
  type        = map(string)
  default     = {}
  sensitive   = true
}

variable "rate_limit_per_minute" {
  description = "Requests per minute one client IP may send to the API before Cloud Armor answers 429."
  type        = number
  default     = 600
}

variable "alert_email" {
  description = "Where alerts are sent (no notification channel when empty; alerts still show in the console)."
  type        = string
  default     = ""
}

variable "billing_account" {
  description = "Billing account id for the budget alert (no budget when empty)."
  type        = string
  default     = ""
}

variable "monthly_budget" {
  description = "Monthly budget in the billing account's currency; alerts at 50%, 90% and 100%."
  type        = number
  default     = 100
}

variable "firestore_backup_retention" {
  description = "How long daily Firestore backups are kept (seconds, max 14 weeks)."
  type        = string
  default     = "1209600s"
}

variable "staged_dir" {
  description = "Where `go run ./infra/stage` wrote one source directory per function."
  type        = string
  default     = "../.build/functions"
}
