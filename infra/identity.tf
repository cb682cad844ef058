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

# The browser's Firebase Auth SDK (the portal) signs in with this key: public
# by design, so it is restricted to the sign-in APIs and the portal's origin.
resource "google_apikeys_key" "portal" {
  name         = "supportcenter-portal"
  display_name = "Support Center portal sign-in"
  restrictions {
    api_targets {
      service = "identitytoolkit.googleapis.com"
    }
    api_targets {
      service = "securetoken.googleapis.com"
    }
    browser_key_restrictions {
      allowed_referrers = ["${trimsuffix(local.portal_url, "/")}/*"]
    }
  }
  depends_on = [google_project_service.apis]
}
