# The public origin: a global external HTTPS load balancer whose URL map is
# plan.json's routes (the same table the local gateway uses): one
# serverless NEG and backend service per HTTP function, one route rule per
# path template ("*" one segment, "**" the rest). TLS 1.2 or later only,
# Cloud Armor with a per-client rate limit on every backend, request logs,
# and plain HTTP answered with a redirect to HTTPS.

resource "google_compute_region_network_endpoint_group" "fn" {
  for_each              = local.http_functions
  name                  = each.value.neg
  region                = local.region
  network_endpoint_type = "SERVERLESS"
  cloud_function {
    function = google_cloudfunctions2_function.fn[each.key].name
  }
  depends_on = [google_project_service.apis]
}

resource "google_compute_security_policy" "api" {
  name        = "supportcenter-api"
  description = "Per-client rate limit in front of the API."

  # Each client IP may send var.rate_limit_per_minute requests a minute;
  # beyond that it gets 429 until the minute is over.
  rule {
    priority = 1000
    action   = "throttle"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
    rate_limit_options {
      conform_action = "allow"
      exceed_action  = "deny(429)"
      enforce_on_key = "IP"
      rate_limit_threshold {
        count        = var.rate_limit_per_minute
        interval_sec = 60
      }
    }
  }

  rule {
    priority = 2147483647
    action   = "allow"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
    description = "default"
  }

  depends_on = [google_project_service.apis]
}

resource "google_compute_backend_service" "fn" {
  for_each              = local.http_functions
  name                  = each.value.backend
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTPS"
  security_policy       = google_compute_security_policy.api.id
  backend {
    group = google_compute_region_network_endpoint_group.fn[each.key].id
  }
  log_config {
    enable      = true
    sample_rate = 1
  }
  depends_on = [google_project_service.apis]
}

resource "google_compute_url_map" "api" {
  name            = "supportcenter-api"
  default_service = google_compute_backend_service.fn[local.plan.default_backend].id

  host_rule {
    hosts        = [var.api_domain]
    path_matcher = "api"
  }

  path_matcher {
    name            = "api"
    default_service = google_compute_backend_service.fn[local.plan.default_backend].id

    dynamic "route_rules" {
      for_each = local.plan.routes
      content {
        priority = route_rules.value.priority
        service  = google_compute_backend_service.fn[route_rules.value.function].id
        match_rules {
          path_template_match = route_rules.value.path
        }
      }
    }
  }
  depends_on = [google_project_service.apis]
}

resource "google_compute_managed_ssl_certificate" "api" {
  name = "supportcenter-api"
  managed {
    domains = [var.api_domain]
  }
  depends_on = [google_project_service.apis]
}

resource "google_compute_ssl_policy" "api" {
  name            = "supportcenter-api"
  profile         = "MODERN"
  min_tls_version = "TLS_1_2"
  depends_on      = [google_project_service.apis]
}

resource "google_compute_target_https_proxy" "api" {
  name             = "supportcenter-api"
  url_map          = google_compute_url_map.api.id
  ssl_certificates = [google_compute_managed_ssl_certificate.api.id]
  ssl_policy       = google_compute_ssl_policy.api.id
  depends_on       = [google_project_service.apis]
}

resource "google_compute_global_address" "api" {
  name       = "supportcenter-api"
  depends_on = [google_project_service.apis]
}

resource "google_compute_global_forwarding_rule" "api" {
  name                  = "supportcenter-api"
  target                = google_compute_target_https_proxy.api.id
  ip_address            = google_compute_global_address.api.address
  port_range            = "443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  depends_on            = [google_project_service.apis]
}

# Plain HTTP on the same address: a permanent redirect to HTTPS.
resource "google_compute_url_map" "redirect" {
  name = "supportcenter-api-redirect"
  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
  depends_on = [google_project_service.apis]
}

resource "google_compute_target_http_proxy" "redirect" {
  name       = "supportcenter-api-redirect"
  url_map    = google_compute_url_map.redirect.id
  depends_on = [google_project_service.apis]
}

resource "google_compute_global_forwarding_rule" "redirect" {
  name                  = "supportcenter-api-redirect"
  target                = google_compute_target_http_proxy.redirect.id
  ip_address            = google_compute_global_address.api.address
  port_range            = "80"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  depends_on            = [google_project_service.apis]
}
