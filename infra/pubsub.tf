# Topics, dead-letter topics with their hold subscriptions, and one push
# subscription per event/scheduled function, all named in plan.json. Push
# (with an OIDC token of the pusher account, audience = the function's URL)
# delivers the same envelope the local Pub/Sub emulator pushes, which
# functions-framework turns into a CloudEvent: local and production match.

resource "google_pubsub_topic" "topics" {
  for_each   = toset(local.plan.topics)
  name       = each.value
  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic" "dead_letter" {
  for_each   = local.plan.dead_letters
  name       = each.value.topic
  depends_on = [google_project_service.apis]
}

# Holds dead letters for inspection and replay; never expires.
resource "google_pubsub_subscription" "dead_letter_hold" {
  for_each                   = local.plan.dead_letters
  name                       = each.value.hold
  topic                      = google_pubsub_topic.dead_letter[each.key].id
  message_retention_duration = "604800s"
  expiration_policy {
    ttl = ""
  }
  depends_on = [google_project_service.apis]
}

# The one identity Pub/Sub pushes as; only it may invoke event functions.
resource "google_service_account" "pusher" {
  account_id   = "sc-event-invoker"
  display_name = "Pub/Sub push to event functions"
  depends_on   = [google_project_service.apis]
}

# Pub/Sub's service agent mints OIDC tokens for the pusher account, and for
# no other account.
resource "google_service_account_iam_member" "pubsub_agent_token_creator" {
  service_account_id = google_service_account.pusher.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
  depends_on         = [google_project_service.apis]
}

# Dead-lettering: the agent publishes to the dead-letter topic and
# acknowledges on the source subscription.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each   = local.plan.dead_letters
  topic      = google_pubsub_topic.dead_letter[each.key].id
  role       = "roles/pubsub.publisher"
  member     = local.pubsub_agent
  depends_on = [google_project_service.apis]
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  for_each     = local.plan.dead_letters
  subscription = google_pubsub_subscription.push[each.key].id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
  depends_on   = [google_project_service.apis]
}

resource "google_pubsub_subscription" "push" {
  for_each             = local.plan.subscriptions
  name                 = each.value.name
  topic                = google_pubsub_topic.topics[each.value.topic].id
  ack_deadline_seconds = each.value.ack_deadline_seconds

  push_config {
    push_endpoint = "${google_cloudfunctions2_function.fn[each.key].service_config[0].uri}${replace(each.value.push_path, local.project_placeholder, var.project_id)}"
    oidc_token {
      service_account_email = google_service_account.pusher.email
      audience              = google_cloudfunctions2_function.fn[each.key].service_config[0].uri
    }
  }

  # Idle subscriptions would otherwise be deleted after 31 days, and the
  # events published to them lost.
  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dynamic "dead_letter_policy" {
    for_each = each.value.dead_letter_topic == "" ? [] : [each.value]
    content {
      dead_letter_topic     = google_pubsub_topic.dead_letter[each.key].id
      max_delivery_attempts = dead_letter_policy.value.max_delivery_attempts
    }
  }

  depends_on = [
    google_project_service.apis,
    google_cloud_run_service_iam_member.push_invoker,
    google_service_account_iam_member.pubsub_agent_token_creator,
  ]
}
