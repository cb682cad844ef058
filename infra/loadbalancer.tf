# The public API origin: a global external HTTPS load balancer whose URL map
# is built from the manifest's routes (the same table the local gateway
# uses): one serverless NEG and backend service per HTTP function, one route
# rule per path template ("*" one segment, "**" the rest).

resource "google_compute_region_network_endpoint_group" "fn" {
  for_each              = local.http_functions
  name                  = "neg-${each.key}"
  region                = local.region
  network_endpoint_type = "SERVERLESS"
  cloud_function {
    function = google_cloudfunctions2_function.fn[each.key].name
  }
}

resource "google_compute_backend_service" "fn" {
  for_each              = local.http_functions
  name                  = "be-${each.key}"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTPS"
  backend {
    group = google_compute_region_network_endpoint_group.fn[each.key].id
  }
}

locals {
  routes = flatten([for k, f in local.http_functions : [for r in f.routes : { fn = k, path = r }]])
}

resource "google_compute_url_map" "api" {
  name            = "supportcenter-api"
  default_service = google_compute_backend_service.fn["me"].id

  host_rule {
    hosts        = [var.api_domain]
    path_matcher = "api"
  }

  path_matcher {
    name            = "api"
    default_service = google_compute_backend_service.fn["me"].id

    dynamic "route_rules" {
      for_each = local.routes
      content {
        priority = route_rules.key + 1
        service  = google_compute_backend_service.fn[route_rules.value.fn].id
        match_rules {
          path_template_match = route_rules.value.path
        }
      }
    }
  }
}

resource "google_compute_managed_ssl_certificate" "api" {
  name = "supportcenter-api"
  managed {
    domains = [var.api_domain]
  }
}

resource "google_compute_target_https_proxy" "api" {
  name             = "supportcenter-api"
  url_map          = google_compute_url_map.api.id
  ssl_certificates = [google_compute_managed_ssl_certificate.api.id]
}

resource "google_compute_global_address" "api" {
  name = "supportcenter-api"
}

resource "google_compute_global_forwarding_rule" "api" {
  name                  = "supportcenter-api"
  target                = google_compute_target_https_proxy.api.id
  ip_address            = google_compute_global_address.api.address
  port_range            = "443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
}

output "api_ip" {
  value = google_compute_global_address.api.address
}
