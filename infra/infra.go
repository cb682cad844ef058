// Package infra holds the deployment description of Support Center: the
// function manifest (functions.yaml) that Terraform and the local emulator
// stack both read, and the Firestore index definitions.
package infra

import _ "embed"

// FunctionsYAML is the function manifest, embedded so Go tools and tests read
// exactly the file Terraform reads.
//
//go:embed functions.yaml
var FunctionsYAML []byte
