# Identity Platform (Firebase Auth): e-mail and password sign-in, accounts
# one per address, sign-in and action links allowed only for the portal's
# domain.

resource "google_identity_platform_config" "auth" {
  authorized_domains = [local.portal_host]

  sign_in {
    allow_duplicate_emails = false
    email {
      enabled           = true
      password_required = true
    }
  }

  depends_on = [google_project_service.apis]
}
