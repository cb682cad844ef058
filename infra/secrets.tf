# Secrets named in the manifest, readable only by the functions that name
# them (plan.json secret_grants). Each gets an initial version so functions
# can start on the first apply: var.secret_values if given, else a
# placeholder; the real value is added out of band with
# `gcloud secrets versions add` (functions read "latest"), never committed.

resource "google_secret_manager_secret" "secrets" {
  for_each  = local.plan.secrets
  secret_id = each.key
  replication {
    auto {}
  }
  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_version" "initial" {
  for_each    = local.plan.secrets
  secret      = google_secret_manager_secret.secrets[each.key].id
  secret_data = lookup(var.secret_values, each.key, "placeholder: add the real value with gcloud secrets versions add")
  # A value added later by hand is the latest; this one stays as it is.
  lifecycle {
    ignore_changes = [secret_data]
  }
  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_iam_member" "access" {
  for_each   = local.plan.secret_grants
  secret_id  = google_secret_manager_secret.secrets[each.value.resource].id
  role       = each.value.role
  member     = google_service_account.fn[each.value.function].member
  depends_on = [google_project_service.apis]
}
