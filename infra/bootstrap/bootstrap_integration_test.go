//go:build integration

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	fbauth "firebase.google.com/go/v4/auth"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/store"
)

// TestBootstrapAgainstEmulators runs the bootstrap on the emulator stack
// with the example file (under a fresh vendor id and domain): the catalogue
// and the vendor organisation are written, the admin's membership is
// announced and the stack's provision function creates the Auth account
// and e-mails the sign-in link; a second run creates nothing and sends
// nothing.
func TestBootstrapAgainstEmulators(t *testing.T) {
	env := testenv.Get(t)
	ctx := t.Context()
	vendor := testenv.UniqueID("vendor")
	domain := strings.ReplaceAll(vendor, "-", "") + ".example"
	example, err := os.ReadFile("../bootstrap.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := strings.NewReplacer("id: support\n", "id: "+vendor+"\n", "support.example.com", domain).Replace(string(example))
	d, err := parse([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	admin := d.Admin.Email
	st := store.New(env.FS())
	pub, err := publish.New(ctx, env.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()

	var out bytes.Buffer
	r, err := run(ctx, st, pub, d, time.Now().UTC(), &out)
	if err != nil {
		t.Fatal(err)
	}
	if r != (Result{Packages: 2, Products: 1, OrgCreated: true, AdminCreated: true, Announced: true}) {
		t.Errorf("first run = %+v\n%s", r, out.String())
	}
	org, err := st.Org(ctx, vendor)
	if err != nil || org.Kind != store.KindVendor || org.Domains[0] != domain {
		t.Fatalf("vendor org = %+v, %v", org, err)
	}
	pkg, err := st.Package(ctx, "PLATINUM")
	if err != nil || !pkg.Escalation || pkg.Targets["P0"].FirstResponseMinutes != 15 {
		t.Errorf("package = %+v, %v", pkg, err)
	}
	prods, err := st.Catalog(ctx)
	if err != nil || prods["clouddb"] == nil || len(prods["clouddb"].Classifications) != 2 {
		t.Errorf("products = %+v, %v", prods, err)
	}

	// The normal provisioning path: the provision function (pushed by the
	// stack's Pub/Sub emulator) creates the account and sends the link.
	var user *fbauth.UserRecord
	var mails int
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		m, err := st.MembershipDocByID(ctx, store.MembershipID(vendor, admin))
		if err != nil {
			t.Fatal(err)
		}
		mails = countMail(t, env.MailURL, admin)
		if m.Provision != nil && m.Provision.State == provisioning.Done && mails > 0 {
			user, err = env.Writer.Auth.GetUserByEmail(ctx, admin)
			if err != nil {
				t.Fatal(err)
			}
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if user == nil {
		t.Fatalf("the admin was not provisioned (account and sign-in e-mail); output:\n%s", out.String())
	}
	if mails != 1 {
		t.Errorf("%d e-mails to the admin, want 1", mails)
	}

	// Again: nothing created, nothing announced, no second e-mail.
	out.Reset()
	r, err = run(context.Background(), st, pub, d, time.Now().UTC(), &out)
	if err != nil {
		t.Fatal(err)
	}
	if r != (Result{Packages: 2, Products: 1}) {
		t.Errorf("second run = %+v\n%s", r, out.String())
	}
	members, err := st.OrgMemberships(ctx, vendor, "", 10)
	if err != nil || len(members) != 1 {
		t.Errorf("vendor memberships = %d, %v; want 1", len(members), err)
	}
	if n := countMail(t, env.MailURL, admin); n != 1 {
		t.Errorf("%d e-mails to the admin after a second run, want 1", n)
	}
}

func countMail(t *testing.T, mailURL, to string) int {
	t.Helper()
	resp, err := http.Get(mailURL + "/api/messages?to=" + url.QueryEscape(to))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Messages []json.RawMessage `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return len(body.Messages)
}
