# Topics from the manifest, a dead-letter topic per retried function, and a
# push subscription per event/scheduled function. Push (with an OIDC token)
# delivers the same envelope the local Pub/Sub emulator pushes, which
# functions-framework turns into a CloudEvent: local and production match.

resource "google_pubsub_topic" "topics" {
  for_each = toset(concat(
    [for t in local.manifest.topics : t.name],
    [for k, f in local.scheduled : "schedule-${k}"],
  ))
  name = each.value
}

resource "google_pubsub_topic" "dead_letter" {
  for_each = local.dead_letter
  name     = each.value
}

resource "google_pubsub_subscription" "dead_letter_hold" {
  for_each                   = local.dead_letter
  name                       = "${each.value}-hold"
  topic                      = google_pubsub_topic.dead_letter[each.key].id
  message_retention_duration = "604800s"
}

resource "google_service_account" "pusher" {
  account_id   = "pubsub-pusher"
  display_name = "Pub/Sub push to event functions"
}

resource "google_cloud_run_service_iam_member" "push_invoker" {
  for_each = local.event_functions
  location = local.region
  service  = google_cloudfunctions2_function.fn[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.pusher.email}"
}

data "google_project" "this" {}

# Pub/Sub's service agent forwards to dead-letter topics and mints OIDC tokens.
resource "google_project_iam_member" "pubsub_agent_token_creator" {
  project = var.project_id
  role    = "roles/iam.serviceAccountTokenCreator"
  member  = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = local.dead_letter
  topic    = google_pubsub_topic.dead_letter[each.key].id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_subscription" "push" {
  for_each             = local.event_functions
  name                 = "${each.key}-push"
  topic                = google_pubsub_topic.topics[local.trigger_topic[each.key]].id
  ack_deadline_seconds = min(600, tonumber(trimsuffix(try(each.value.timeout, "60s"), "s")))

  push_config {
    push_endpoint = "${google_cloudfunctions2_function.fn[each.key].service_config[0].uri}/projects/${var.project_id}/topics/${local.trigger_topic[each.key]}"
    oidc_token {
      service_account_email = google_service_account.pusher.email
    }
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dynamic "dead_letter_policy" {
    for_each = contains(keys(local.dead_letter), each.key) ? [1] : []
    content {
      dead_letter_topic     = google_pubsub_topic.dead_letter[each.key].id
      max_delivery_attempts = each.value.max_delivery_attempts
    }
  }
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  for_each     = local.dead_letter
  subscription = google_pubsub_subscription.push[each.key].id
  role         = "roles/pubsub.subscriber"
  member       = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}
