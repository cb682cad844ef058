// Package infra holds the deployment description of Support Center: the
// function manifest (functions.yaml), the plan derived from it
// (plan.json, written by ./gen, read by Terraform), the Terraform itself,
// and the Firestore index definitions (written by the store's tests).
// hcl_test.go proves the deployment's controls over the parsed Terraform.
package infra

//go:generate go run ./gen -out plan.json

import _ "embed"

// FunctionsYAML is the function manifest, embedded so Go tools and tests read
// exactly the file Terraform reads.
//
//go:embed functions.yaml
var FunctionsYAML []byte
