# One service account per function (least privilege), one source archive per
# function from the staged directory, one Cloud Functions (gen2) resource per
# manifest entry. Entry point = the name each package registers.

resource "google_service_account" "fn" {
  for_each     = local.functions
  account_id   = "fn-${each.key}"
  display_name = "Support Center function ${each.key}"
}

resource "google_project_iam_member" "fn_firestore" {
  for_each = local.functions
  project  = var.project_id
  role     = "roles/datastore.user"
  member   = "serviceAccount:${google_service_account.fn[each.key].email}"
}

resource "google_project_iam_member" "fn_publisher" {
  for_each = local.functions
  project  = var.project_id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${google_service_account.fn[each.key].email}"
}

# Extra project roles each function declares in the manifest (roles:).
resource "google_project_iam_member" "fn_roles" {
  for_each = { for p in flatten([for k, f in local.functions : [
    for r in try(f.roles, []) : { fn = k, role = r }
  ]]) : "${p.fn}-${p.role}" => p }
  project = var.project_id
  role    = each.value.role
  member  = "serviceAccount:${google_service_account.fn[each.value.fn].email}"
}

# Object access on the buckets a function declares (buckets:).
resource "google_storage_bucket_iam_member" "fn_buckets" {
  for_each = { for p in flatten([for k, f in local.functions : [
    for b in try(f.buckets, []) : { fn = k, bucket = b }
  ]]) : "${p.fn}-${p.bucket}" => p }
  bucket = google_storage_bucket.buckets[each.value.bucket].name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.fn[each.value.fn].email}"
}

# Functions that sign Cloud Storage URLs (signs_urls:) sign with their own
# service account through IAM signBlob.
resource "google_service_account_iam_member" "fn_sign_self" {
  for_each           = { for k, f in local.functions : k => f if try(f.signs_urls, false) }
  service_account_id = google_service_account.fn[each.key].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_service_account.fn[each.key].email}"
}

resource "google_storage_bucket" "sources" {
  name                        = "${var.project_id}-function-sources"
  location                    = local.region
  uniform_bucket_level_access = true
}

data "archive_file" "fn" {
  for_each    = local.functions
  type        = "zip"
  source_dir  = "${var.staged_dir}/${each.key}"
  output_path = "${path.module}/../.build/${each.key}.zip"
}

resource "google_storage_bucket_object" "fn" {
  for_each = local.functions
  name     = "${each.key}/${data.archive_file.fn[each.key].output_md5}.zip"
  bucket   = google_storage_bucket.sources.name
  source   = data.archive_file.fn[each.key].output_path
}

resource "google_cloudfunctions2_function" "fn" {
  for_each    = local.functions
  name        = each.key
  location    = local.region
  description = try(each.value.description, null)

  build_config {
    runtime     = local.manifest.runtime
    entry_point = each.key
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.fn[each.key].name
      }
    }
  }

  service_config {
    available_memory      = try(each.value.memory, "256Mi")
    timeout_seconds       = tonumber(trimsuffix(try(each.value.timeout, "60s"), "s"))
    max_instance_count    = try(each.value.max_instances, 10)
    service_account_email = google_service_account.fn[each.key].email
    # HTTP functions are reached only through the load balancer; event
    # functions only by Pub/Sub push with an OIDC token.
    ingress_settings      = each.value.kind == "http" ? "ALLOW_INTERNAL_AND_GCLB" : "ALLOW_ALL"
    environment_variables = merge(local.common_env, try(each.value.env, {}))

    dynamic "secret_environment_variables" {
      for_each = try(each.value.secrets, {})
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = secret_environment_variables.value
        version    = "latest"
      }
    }
  }

  depends_on = [google_project_service.apis]
}

# The load balancer and anonymous browsers reach HTTP functions; the
# functions authenticate callers themselves (Firebase ID tokens).
resource "google_cloud_run_service_iam_member" "http_invoker" {
  for_each = local.http_functions
  location = local.region
  service  = google_cloudfunctions2_function.fn[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "allUsers"
}
