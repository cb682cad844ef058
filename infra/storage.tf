# Buckets from the manifest ("<project>-<name>"); object-finalize
# notifications go to the bucket's finalize_topic as Pub/Sub messages.

resource "google_storage_bucket" "buckets" {
  for_each                    = { for b in local.manifest.buckets : b.name => b }
  name                        = "${var.project_id}-${each.key}"
  location                    = local.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  cors {
    origin          = var.cors_allowed_origins
    method          = ["PUT", "POST"]
    response_header = ["Content-Type", "X-Goog-Resumable", "Location"]
    max_age_seconds = 3600
  }
}

data "google_storage_project_service_account" "gcs" {}

resource "google_pubsub_topic_iam_member" "gcs_publisher" {
  for_each = { for b in local.manifest.buckets : b.name => b if try(b.finalize_topic, "") != "" }
  topic    = google_pubsub_topic.topics[each.value.finalize_topic].id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
}

resource "google_storage_notification" "finalize" {
  for_each       = { for b in local.manifest.buckets : b.name => b if try(b.finalize_topic, "") != "" }
  bucket         = google_storage_bucket.buckets[each.key].name
  payload_format = "JSON_API_V1"
  topic          = google_pubsub_topic.topics[each.value.finalize_topic].id
  event_types    = ["OBJECT_FINALIZE"]
  depends_on     = [google_pubsub_topic_iam_member.gcs_publisher]
}
