# Buckets named in plan.json ("<project>-<name>"): private (uniform access,
# public access prevented), CORS for the portal's chunked (resumable)
# browser uploads straight to signed URLs; object-finalize notifications go
# to the bucket's finalize topic as Pub/Sub messages.

resource "google_storage_bucket" "buckets" {
  for_each                    = local.plan.buckets
  name                        = local.bucket_names[each.key]
  location                    = local.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  cors {
    origin = local.cors_origins
    method = ["PUT", "POST"]
    # Request headers a resumable upload sends and response headers the
    # browser must read (the committed range, the session location).
    response_header = [
      "Content-Type", "Content-Range", "Range", "Location", "ETag",
      "X-Goog-Resumable", "X-Goog-Content-Length-Range", "X-Goog-If-Generation-Match",
      "X-Goog-Generation", "X-Upload-Content-Type", "X-Upload-Content-Length",
    ]
    max_age_seconds = 3600
  }

  depends_on = [google_project_service.apis]
}

data "google_storage_project_service_account" "gcs" {
  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic_iam_member" "gcs_publisher" {
  for_each   = { for k, b in local.plan.buckets : k => b if b.finalize_topic != "" }
  topic      = google_pubsub_topic.topics[each.value.finalize_topic].id
  role       = "roles/pubsub.publisher"
  member     = data.google_storage_project_service_account.gcs.member
  depends_on = [google_project_service.apis]
}

resource "google_storage_notification" "finalize" {
  for_each       = { for k, b in local.plan.buckets : k => b if b.finalize_topic != "" }
  bucket         = google_storage_bucket.buckets[each.key].name
  payload_format = "JSON_API_V1"
  topic          = google_pubsub_topic.topics[each.value.finalize_topic].id
  event_types    = ["OBJECT_FINALIZE"]
  depends_on     = [google_project_service.apis, google_pubsub_topic_iam_member.gcs_publisher]
}
