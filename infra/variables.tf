variable "project_id" {
  description = "Google Cloud project id."
  type        = string
}

variable "region" {
  description = "Region for functions and regional resources (defaults to the manifest's region)."
  type        = string
  default     = null
}

variable "vendor_org_id" {
  description = "Organisation id of the vendor's support team."
  type        = string
  default     = "support"
}

variable "portal_url" {
  description = "Public URL of the portal (links in e-mails)."
  type        = string
}

variable "api_domain" {
  description = "Domain name of the public API origin (managed certificate)."
  type        = string
}

variable "cors_allowed_origins" {
  description = "Browser origins allowed to call the API."
  type        = list(string)
  default     = []
}

variable "staged_dir" {
  description = "Where `go run ./infra/stage` wrote one source directory per function."
  type        = string
  default     = "../.build/functions"
}
