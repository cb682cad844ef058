package main

import (
	"os"
	"strings"
	"testing"
)

func TestExampleFileIsValid(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../bootstrap.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if d.Vendor.ID != "support" || len(d.Packages) == 0 || len(d.Products) == 0 || d.Admin.Language != "en" {
		t.Errorf("example = %+v", d)
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := parse([]byte(`
vendor: {id: Bad_Id, domains: [not a domain]}
admin: {email: someone@elsewhere.example, language: fr}
packages:
  GOLD: {targets: {P9: {first_response_minutes: 1}}}
products:
  db: {display_name: DB, classifications: [{id: a, display_name: A}, {id: a, display_name: B}]}
`))
	for _, want := range []string{"vendor.id", "vendor.display_name", `"not a domain"`, "admin.email", "admin.language",
		`package "GOLD": needs`, `priority "P9"`, `classification "a"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s:\n%v", want, err)
		}
	}
	if _, err := parse([]byte("vendor: {id: x, unknown: 1}")); err == nil || !strings.Contains(err.Error(), "unknown") {
		t.Errorf("unknown field accepted: %v", err)
	}
}

func TestEmulatorsOnlyForDemoProjects(t *testing.T) {
	t.Parallel()
	env := []string{"PATH=/bin", "FIRESTORE_EMULATOR_HOST=127.0.0.1:8080"}
	if err := checkEmulators("acme-prod", env); err == nil || !strings.Contains(err.Error(), "FIRESTORE_EMULATOR_HOST") {
		t.Errorf("emulator env accepted for a real project: %v", err)
	}
	if err := checkEmulators("demo-x", env); err != nil {
		t.Errorf("demo project refused: %v", err)
	}
	if err := checkEmulators("acme-prod", []string{"PATH=/bin"}); err != nil {
		t.Errorf("real project without emulators refused: %v", err)
	}
}
