# Firestore: the database, composite indexes from firestore.indexes.json (the
# same file the emulator ignores), TTL on dedupe records, and rules that deny
# every client: browsers never talk to Firestore directly.

resource "google_firestore_database" "default" {
  name        = "(default)"
  location_id = local.region
  type        = "FIRESTORE_NATIVE"
  depends_on  = [google_project_service.apis]
}

locals {
  indexes = try(jsondecode(file("${path.module}/firestore.indexes.json")).indexes, [])
}

resource "google_firestore_index" "indexes" {
  for_each    = { for i, idx in local.indexes : "${idx.collectionGroup}-${i}" => idx }
  database    = google_firestore_database.default.name
  collection  = each.value.collectionGroup
  query_scope = try(each.value.queryScope, "COLLECTION")

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path   = fields.value.fieldPath
      order        = try(fields.value.order, null)
      array_config = try(fields.value.arrayConfig, null)
    }
  }
}

# Records that expire: dedupe claims, and notification failure records.
resource "google_firestore_field" "ttl" {
  for_each   = toset(["dedupe", "notificationFailures"])
  database   = google_firestore_database.default.name
  collection = each.value
  field      = "expireTime"
  ttl_config {}
}

resource "google_firebaserules_ruleset" "deny_all" {
  source {
    files {
      name    = "firestore.rules"
      content = "rules_version = '2';\nservice cloud.firestore {\n  match /databases/{database}/documents {\n    match /{document=**} {\n      allow read, write: if false;\n    }\n  }\n}\n"
    }
  }
}

resource "google_firebaserules_release" "firestore" {
  name         = "cloud.firestore"
  ruleset_name = google_firebaserules_ruleset.deny_all.name
}
