package main

import (
	"slices"
	"strings"
	"testing"
)

func TestValidateReportsEveryMissingFlag(t *testing.T) {
	t.Parallel()
	err := config{Domain: "https://x/"}.validate()
	for _, want := range []string{"-project", "-region", "-domain"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("validate() = %v, want it to name %s", err, want)
		}
	}
	if err := (config{Project: "p", Region: "r", Domain: "support.example.com"}).validate(); err != nil {
		t.Errorf("valid config refused: %v", err)
	}
}

// The deployment stages, prepares state, then inits and applies with the
// operator's inputs; the bucket is created only when missing.
func TestSteps(t *testing.T) {
	t.Parallel()
	for _, yes := range []bool{false, true} {
		c := config{Project: "acme-support", Region: "europe-west1", Domain: "support.acme.example", VarFile: "/x.tfvars", Yes: yes}
		s := steps(c)
		var order []string
		for _, st := range s {
			order = append(order, strings.Join(st.cmd[:min(3, len(st.cmd))], " "))
		}
		want := []string{"go run ./infra/stage", "gcloud services enable", "gcloud storage buckets", "gcloud storage buckets",
			"terraform -chdir=infra init", "terraform -chdir=infra apply"}
		if !slices.Equal(order, want) {
			t.Fatalf("steps = %q, want %q", order, want)
		}
		if s[2].check == nil || !slices.Contains(s[2].cmd, "gs://acme-support-tfstate") || !slices.Contains(s[2].cmd, "--public-access-prevention") {
			t.Errorf("state bucket step = %+v", s[2])
		}
		if !slices.Contains(s[4].cmd, "-backend-config=bucket=acme-support-tfstate") {
			t.Errorf("init does not use the state bucket: %v", s[4].cmd)
		}
		apply := strings.Join(s[5].cmd, " ")
		for _, want := range []string{"project_id=acme-support", "region=europe-west1", "api_domain=support.acme.example", "-var-file=/x.tfvars"} {
			if !strings.Contains(apply, want) {
				t.Errorf("apply %q lacks %s", apply, want)
			}
		}
		if strings.Contains(apply, "-auto-approve") != yes || s[5].interactive == yes {
			t.Errorf("yes=%v: apply %q, interactive %v", yes, apply, s[5].interactive)
		}
	}
}

func TestRemainingNamesEveryManualStep(t *testing.T) {
	t.Parallel()
	var o outputs
	o.APIIP.Value, o.MailFrom.Value, o.PortalURL.Value = "203.0.113.7", "support@support.acme.example", "https://support.acme.example"
	o.Secrets.Value = []string{"sendgrid-api-key"}
	got := remaining(config{Project: "acme-support", Domain: "support.acme.example"}, o)
	for _, want := range []string{"support.acme.example -> 203.0.113.7", "gcloud secrets versions add sendgrid-api-key",
		"verify the sender support@support.acme.example", "make bootstrap PROJECT=acme-support"} {
		if !strings.Contains(got, want) {
			t.Errorf("remaining steps lack %q:\n%s", want, got)
		}
	}
}
