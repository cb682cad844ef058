# Support Center on Google Cloud. Everything deployable is listed once, in
# functions.yaml; every name, grant and setting derived from it is computed
# in Go (shared/manifest) and written to plan.json, which this configuration
# reads as it is: nothing here re-derives a name. `make deploy` stages the
# sources, initialises the state bucket and applies (README, "Deployment").

terraform {
  required_version = ">= 1.6"

  # State lives in a GCS bucket created by `make deploy` (versioned, so a
  # bad apply can be rolled back); its name is passed at init:
  # terraform init -backend-config="bucket=<project>-tfstate".
  backend "gcs" {
    prefix = "supportcenter"
  }

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 7.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.7"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = local.region
  # Quota and billing for API calls go to the project being deployed.
  user_project_override = true
  billing_project       = var.project_id
}

locals {
  plan   = jsondecode(file("${path.module}/plan.json"))
  region = coalesce(var.region, local.plan.region)

  # The plan writes "{project}" where a name contains the project id.
  project_placeholder = "{project}"

  functions       = local.plan.functions
  http_functions  = { for k, f in local.plan.functions : k => f if f.kind == "http" }
  event_functions = { for k, f in local.plan.functions : k => f if f.kind != "http" }
  bucket_names    = { for k, b in local.plan.buckets : k => replace(b.name, local.project_placeholder, var.project_id) }

  portal_url  = coalesce(var.portal_url, "https://${var.api_domain}")
  portal_host = regex("^https?://([^/:]+)", local.portal_url)[0]
  mail_from   = coalesce(var.mail_from, "support@${var.api_domain}")
  # Browsers may call the API from the portal's own origin and any listed.
  cors_origins = distinct(concat([trimsuffix(local.portal_url, "/")], var.cors_allowed_origins))

  # Deployment-wide settings every function gets, beside its own plan env.
  common_env = {
    GOOGLE_CLOUD_PROJECT = var.project_id
    VENDOR_ORG_ID        = var.vendor_org_id
    PORTAL_URL           = local.portal_url
    CORS_ALLOWED_ORIGINS = join(",", local.cors_origins)
    MAIL_FROM            = local.mail_from
    MAIL_FROM_NAME       = var.mail_from_name
    SLA_ALERT_EMAIL      = coalesce(var.sla_alert_email, local.mail_from)
    LOG_LEVEL            = "info"
    # The portal hands these to the browser's Auth SDK (public values). The
    # auth domain is the portal's own host: the portal serves the single
    # sign-on callback /__/auth/handler itself (no firebaseapp.com helper
    # page or frame), so SAML providers post their assertions there (sso
    # derives each provider's callbackUri from it).
    FIREBASE_API_KEY     = google_apikeys_key.portal.key_string
    FIREBASE_AUTH_DOMAIN = local.portal_host
  }

  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

data "google_project" "this" {
  depends_on = [google_project_service.apis]
}

# Every API the deployment uses; every other resource depends on this, so
# a fresh project applies in one go.
resource "google_project_service" "apis" {
  for_each = toset([
    "apikeys.googleapis.com",
    "artifactregistry.googleapis.com",
    "billingbudgets.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "cloudscheduler.googleapis.com",
    "compute.googleapis.com",
    "firebaserules.googleapis.com",
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "identitytoolkit.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "securetoken.googleapis.com",
    "storage.googleapis.com",
  ])
  service            = each.value
  disable_on_destroy = false
}
