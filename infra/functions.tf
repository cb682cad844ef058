# One service account per function, holding exactly the grants plan.json
# lists for it (Firestore for all; publisher on the topics it publishes to;
# objects of the buckets it names; the secrets it names; its manifest
# roles); one source archive and one Cloud Functions (gen2) resource per
# manifest entry, entry point = the name its package registers.

resource "google_service_account" "fn" {
  for_each     = local.functions
  account_id   = each.value.service_account_id
  display_name = "Support Center function ${each.key}"
  depends_on   = [google_project_service.apis]
}

resource "google_project_iam_custom_role" "custom" {
  for_each    = local.plan.custom_roles
  role_id     = each.key
  title       = each.value.title
  permissions = each.value.permissions
  depends_on  = [google_project_service.apis]
}

# Project roles: predefined ones here, custom ones below.
resource "google_project_iam_member" "fn_roles" {
  for_each   = { for k, g in local.plan.project_grants : k => g if g.custom == "" }
  project    = var.project_id
  role       = each.value.role
  member     = google_service_account.fn[each.value.function].member
  depends_on = [google_project_service.apis]
}

resource "google_project_iam_member" "fn_custom_roles" {
  for_each   = { for k, g in local.plan.project_grants : k => g if g.custom != "" }
  project    = var.project_id
  role       = google_project_iam_custom_role.custom[each.value.custom].name
  member     = google_service_account.fn[each.value.function].member
  depends_on = [google_project_service.apis]
}

# Publishing: per topic, only for the functions that publish to it.
resource "google_pubsub_topic_iam_member" "fn_publish" {
  for_each   = local.plan.topic_grants
  topic      = google_pubsub_topic.topics[each.value.resource].id
  role       = each.value.role
  member     = google_service_account.fn[each.value.function].member
  depends_on = [google_project_service.apis]
}

# Object access on the buckets a function names.
resource "google_storage_bucket_iam_member" "fn_buckets" {
  for_each   = local.plan.bucket_grants
  bucket     = google_storage_bucket.buckets[each.value.resource].name
  role       = each.value.role
  member     = google_service_account.fn[each.value.function].member
  depends_on = [google_project_service.apis]
}

# Functions that sign Cloud Storage URLs sign with their own account
# through IAM signBlob: token creator on that one account.
resource "google_service_account_iam_member" "fn_sign_self" {
  for_each           = { for k, f in local.functions : k => f if f.signs_urls }
  service_account_id = google_service_account.fn[each.key].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = google_service_account.fn[each.key].member
  depends_on         = [google_project_service.apis]
}

resource "google_storage_bucket" "sources" {
  name                        = "${var.project_id}-function-sources"
  location                    = local.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  depends_on                  = [google_project_service.apis]
}

data "archive_file" "fn" {
  for_each    = local.functions
  type        = "zip"
  source_dir  = "${var.staged_dir}/${each.key}"
  output_path = "${path.module}/../.build/${each.key}.zip"
}

resource "google_storage_bucket_object" "fn" {
  for_each   = local.functions
  name       = "${each.key}/${data.archive_file.fn[each.key].output_md5}.zip"
  bucket     = google_storage_bucket.sources.name
  source     = data.archive_file.fn[each.key].output_path
  depends_on = [google_project_service.apis]
}

resource "google_cloudfunctions2_function" "fn" {
  for_each    = local.functions
  name        = each.key
  location    = local.region
  description = each.value.description

  build_config {
    runtime         = local.plan.runtime
    entry_point     = each.value.entry_point
    service_account = google_service_account.build.id
    # GOOGLE_GOLDFLAGS and the like (infra/functions.yaml, build_env).
    environment_variables = local.plan.build_env
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.fn[each.key].name
      }
    }
  }

  service_config {
    available_memory                 = each.value.memory
    available_cpu                    = each.value.cpu == "" ? null : each.value.cpu
    max_instance_request_concurrency = each.value.concurrency
    timeout_seconds                  = each.value.timeout_seconds
    max_instance_count               = each.value.max_instances
    service_account_email            = google_service_account.fn[each.key].email
    # HTTP functions take traffic only through the load balancer; event
    # and scheduled functions only from inside the project (Pub/Sub push,
    # with an OIDC token of the pusher account).
    ingress_settings               = each.value.kind == "http" ? "ALLOW_INTERNAL_AND_GCLB" : "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision = true
    environment_variables = merge(local.common_env, {
      for k, v in each.value.env : k => replace(v, local.project_placeholder, var.project_id)
    })

    dynamic "secret_environment_variables" {
      for_each = each.value.secrets
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = google_secret_manager_secret.secrets[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  # A function starts only once it may read its secrets and they hold a
  # version, and once it may write to Firestore.
  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_iam_member.access,
    google_secret_manager_secret_version.initial,
    google_project_iam_member.fn_roles,
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_sources,
  ]
}

# HTTP functions: the load balancer forwards anonymous browsers (the
# functions check Firebase ID tokens themselves); ingress admits the load
# balancer only, so the run.app URL is closed.
resource "google_cloud_run_service_iam_member" "http_invoker" {
  for_each   = local.http_functions
  location   = local.region
  service    = google_cloudfunctions2_function.fn[each.key].service_config[0].service
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [google_project_service.apis]
}

# Event and scheduled functions: invokable by the pusher account only.
resource "google_cloud_run_service_iam_member" "push_invoker" {
  for_each   = local.event_functions
  location   = local.region
  service    = google_cloudfunctions2_function.fn[each.key].service_config[0].service
  role       = "roles/run.invoker"
  member     = google_service_account.pusher.member
  depends_on = [google_project_service.apis]
}
