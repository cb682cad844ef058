output "api_ip" {
  description = "Point the api_domain's DNS A record here; the managed certificate is issued once it resolves."
  value       = google_compute_global_address.api.address
}

output "secrets" {
  description = "Secrets whose real value is added by hand (gcloud secrets versions add ID --data-file=-)."
  value       = keys(local.plan.secrets)
}

output "mail_from" {
  description = "Sender address to verify in SendGrid (single sender or domain authentication)."
  value       = local.mail_from
}

output "portal_url" {
  value = local.portal_url
}
