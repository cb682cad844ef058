# Secrets named in the manifest (env var => secret id). Values are added out
# of band (`gcloud secrets versions add`), never committed.

locals {
  secret_ids = toset(flatten([for f in local.manifest.functions : values(try(f.secrets, {}))]))
  secret_users = flatten([for k, f in local.functions : [
    for s in values(try(f.secrets, {})) : { fn = k, secret = s }
  ]])
}

resource "google_secret_manager_secret" "secrets" {
  for_each  = local.secret_ids
  secret_id = each.value
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "access" {
  for_each  = { for u in local.secret_users : "${u.fn}-${u.secret}" => u }
  secret_id = google_secret_manager_secret.secrets[each.value.secret].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.fn[each.value.fn].email}"
}
