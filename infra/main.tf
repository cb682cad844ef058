# Support Center on Google Cloud. Everything deployable is listed once, in
# functions.yaml; this configuration and the local stack (emulator/) both read
# it. Stage sources first: `make stage` (go run ./infra/stage).

terraform {
  required_version = ">= 1.6"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = local.region
}

locals {
  manifest = yamldecode(file("${path.module}/functions.yaml"))
  region   = coalesce(var.region, local.manifest.region)

  functions      = { for f in local.manifest.functions : f.name => f }
  http_functions = { for k, f in local.functions : k => f if f.kind == "http" }
  # Event and scheduled functions are fed by Pub/Sub push subscriptions.
  event_functions = { for k, f in local.functions : k => f if f.kind != "http" }
  scheduled       = { for k, f in local.functions : k => f if f.kind == "scheduled" }

  trigger_topic = { for k, f in local.event_functions :
  k => f.kind == "scheduled" ? "schedule-${k}" : f.topic }
  dead_letter = { for k, f in local.event_functions : k => "${k}-dead-letter" if try(f.retry, false) }

  common_env = {
    GOOGLE_CLOUD_PROJECT = var.project_id
    VENDOR_ORG_ID        = var.vendor_org_id
    PORTAL_URL           = var.portal_url
    CORS_ALLOWED_ORIGINS = join(",", var.cors_allowed_origins)
    ATTACHMENTS_BUCKET   = google_storage_bucket.buckets["attachments"].name
    LOG_LEVEL            = "info"
  }
}

resource "google_project_service" "apis" {
  for_each = toset([
    "cloudfunctions.googleapis.com", "run.googleapis.com", "cloudbuild.googleapis.com",
    "artifactregistry.googleapis.com", "firestore.googleapis.com", "pubsub.googleapis.com",
    "cloudscheduler.googleapis.com", "secretmanager.googleapis.com", "compute.googleapis.com",
    "identitytoolkit.googleapis.com", "iamcredentials.googleapis.com", "storage.googleapis.com",
  ])
  service            = each.value
  disable_on_destroy = false
}
