# Scheduled functions: Cloud Scheduler publishes to "schedule-<name>", whose
# push subscription feeds the function (locally, emulator/stack does the same).

resource "google_cloud_scheduler_job" "jobs" {
  for_each  = local.scheduled
  name      = each.key
  region    = local.region
  schedule  = each.value.schedule
  time_zone = "Etc/UTC"

  pubsub_target {
    topic_name = google_pubsub_topic.topics["schedule-${each.key}"].id
    data       = base64encode(jsonencode({ job = each.key }))
  }
}
