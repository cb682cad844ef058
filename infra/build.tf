# Cloud Build runs function builds as this account (a new project's default
# compute account may lack the permissions, or have far too many): it reads
# the sources bucket, pushes images and writes build logs, nothing more.

resource "google_service_account" "build" {
  account_id   = "sc-build"
  display_name = "Support Center function builds"
  depends_on   = [google_project_service.apis]
}

resource "google_project_iam_member" "build" {
  for_each   = toset(["roles/logging.logWriter", "roles/artifactregistry.writer"])
  project    = var.project_id
  role       = each.value
  member     = google_service_account.build.member
  depends_on = [google_project_service.apis]
}

resource "google_storage_bucket_iam_member" "build_sources" {
  bucket     = google_storage_bucket.sources.name
  role       = "roles/storage.objectViewer"
  member     = google_service_account.build.member
  depends_on = [google_project_service.apis]
}
