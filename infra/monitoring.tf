# Operations as code: alerts (dead letters waiting, 5xx from the load
# balancer, function errors, certificate and reachability), one dashboard,
# and a monthly budget.

resource "google_monitoring_notification_channel" "email" {
  count        = var.alert_email == "" ? 0 : 1
  display_name = "Support Center operators"
  type         = "email"
  labels = {
    email_address = var.alert_email
  }
  depends_on = [google_project_service.apis]
}

locals {
  alert_channels = google_monitoring_notification_channel.email[*].id
}

# A message in a dead-letter hold subscription is an event no function
# could handle: someone must look at it.
resource "google_monitoring_alert_policy" "dead_letters" {
  display_name          = "Support Center: dead-lettered events waiting"
  combiner              = "OR"
  notification_channels = local.alert_channels

  dynamic "conditions" {
    for_each = local.plan.dead_letters
    content {
      display_name = "${conditions.key}: dead letters held"
      condition_threshold {
        filter          = "resource.type = \"pubsub_subscription\" AND resource.labels.subscription_id = \"${conditions.value.hold}\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\""
        comparison      = "COMPARISON_GT"
        threshold_value = 0
        duration        = "300s"
        aggregations {
          alignment_period   = "300s"
          per_series_aligner = "ALIGN_MAX"
        }
      }
    }
  }
  depends_on = [google_project_service.apis]
}

resource "google_monitoring_alert_policy" "lb_5xx" {
  display_name          = "Support Center: API answering 5xx"
  combiner              = "OR"
  notification_channels = local.alert_channels
  conditions {
    display_name = "5xx responses above 1 per minute"
    condition_threshold {
      filter          = "resource.type = \"https_lb_rule\" AND resource.labels.url_map_name = \"${google_compute_url_map.api.name}\" AND metric.type = \"loadbalancing.googleapis.com/https/request_count\" AND metric.labels.response_code_class = 500"
      comparison      = "COMPARISON_GT"
      threshold_value = 1 / 60
      duration        = "300s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  depends_on = [google_project_service.apis]
}

resource "google_monitoring_alert_policy" "function_errors" {
  display_name          = "Support Center: functions logging errors"
  combiner              = "OR"
  notification_channels = local.alert_channels
  conditions {
    display_name = "ERROR log entries from any function"
    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/log_entry_count\" AND metric.labels.severity = \"ERROR\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.labels.service_name"]
      }
    }
  }
  depends_on = [google_project_service.apis]
}

# The public origin answers over valid TLS: catches a certificate stuck in
# provisioning (DNS not pointed yet) and one close to expiry.
resource "google_monitoring_uptime_check_config" "api" {
  display_name = "Support Center API"
  timeout      = "10s"
  period       = "300s"
  http_check {
    path           = "/v2/me"
    port           = 443
    use_ssl        = true
    validate_ssl   = true
    request_method = "GET"
    accepted_response_status_codes {
      status_value = 401 # anonymous: the API answers, TLS is valid
    }
  }
  monitored_resource {
    type = "uptime_url"
    labels = {
      project_id = var.project_id
      host       = var.api_domain
    }
  }
  depends_on = [google_project_service.apis]
}

resource "google_monitoring_alert_policy" "certificate" {
  display_name          = "Support Center: certificate or origin unhealthy"
  combiner              = "OR"
  notification_channels = local.alert_channels
  conditions {
    display_name = "uptime check failing (certificate not active, DNS, or origin down)"
    condition_threshold {
      filter          = "metric.type = \"monitoring.googleapis.com/uptime_check/check_passed\" AND resource.type = \"uptime_url\" AND metric.labels.check_id = \"${google_monitoring_uptime_check_config.api.uptime_check_id}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 1
      duration        = "600s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_NEXT_OLDER"
        cross_series_reducer = "REDUCE_COUNT_FALSE"
        group_by_fields      = ["resource.label.host"]
      }
    }
  }
  conditions {
    display_name = "certificate expires within 14 days"
    condition_threshold {
      filter          = "metric.type = \"monitoring.googleapis.com/uptime_check/time_until_ssl_cert_expires\" AND resource.type = \"uptime_url\" AND metric.labels.check_id = \"${google_monitoring_uptime_check_config.api.uptime_check_id}\""
      comparison      = "COMPARISON_LT"
      threshold_value = 14
      duration        = "600s"
      aggregations {
        alignment_period     = "1200s"
        per_series_aligner   = "ALIGN_NEXT_OLDER"
        cross_series_reducer = "REDUCE_MEAN"
        group_by_fields      = ["resource.label.*"]
      }
    }
  }
  depends_on = [google_project_service.apis]
}

resource "google_monitoring_dashboard" "api" {
  dashboard_json = jsonencode({
    displayName = "Support Center"
    mosaicLayout = {
      columns = 12
      tiles = [for i, w in [
        { title = "API requests by response class", filter = "resource.type = \"https_lb_rule\" AND metric.type = \"loadbalancing.googleapis.com/https/request_count\"", group = "metric.label.response_code_class", aligner = "ALIGN_RATE" },
        { title = "API latency (p95)", filter = "resource.type = \"https_lb_rule\" AND metric.type = \"loadbalancing.googleapis.com/https/total_latencies\"", group = "resource.label.backend_target_name", aligner = "ALIGN_PERCENTILE_95" },
        { title = "Function instances", filter = "resource.type = \"cloud_run_revision\" AND metric.type = \"run.googleapis.com/container/instance_count\"", group = "resource.label.service_name", aligner = "ALIGN_MAX" },
        { title = "Undelivered events per subscription", filter = "resource.type = \"pubsub_subscription\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\"", group = "resource.label.subscription_id", aligner = "ALIGN_MAX" },
        ] : {
        xPos   = (i % 2) * 6
        yPos   = floor(i / 2) * 4
        width  = 6
        height = 4
        widget = {
          title = w.title
          xyChart = {
            dataSets = [{
              plotType = "LINE"
              timeSeriesQuery = {
                timeSeriesFilter = {
                  filter = w.filter
                  aggregation = {
                    alignmentPeriod    = "60s"
                    perSeriesAligner   = w.aligner
                    crossSeriesReducer = w.aligner == "ALIGN_PERCENTILE_95" ? "REDUCE_MAX" : "REDUCE_SUM"
                    groupByFields      = [w.group]
                  }
                }
              }
            }]
          }
        }
      }]
    }
  })
  depends_on = [google_project_service.apis]
}

resource "google_billing_budget" "monthly" {
  count           = var.billing_account == "" ? 0 : 1
  billing_account = var.billing_account
  display_name    = "Support Center ${var.project_id}"

  budget_filter {
    projects = ["projects/${data.google_project.this.number}"]
  }
  amount {
    specified_amount {
      units = tostring(var.monthly_budget)
    }
  }
  dynamic "threshold_rules" {
    for_each = [0.5, 0.9, 1.0]
    content {
      threshold_percent = threshold_rules.value
    }
  }
  depends_on = [google_project_service.apis]
}
