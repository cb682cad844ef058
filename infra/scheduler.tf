# Scheduled functions: Cloud Scheduler publishes the plan's job data to the
# plan's schedule topic, whose push subscription feeds the function
# (locally, emulator/stack does the same from the same plan).

resource "google_cloud_scheduler_job" "jobs" {
  for_each  = local.plan.schedules
  name      = each.value.name
  region    = local.region
  schedule  = each.value.cron
  time_zone = "Etc/UTC"

  pubsub_target {
    topic_name = google_pubsub_topic.topics[each.value.topic].id
    data       = base64encode(each.value.data)
  }

  depends_on = [google_project_service.apis]
}
