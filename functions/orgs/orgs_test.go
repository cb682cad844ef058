package orgs

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

var (
	t0   = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	now  = time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC)
	gold = &store.Package{ID: "GOLD", DisplayName: "Gold", SupportCenterAccess: true, PhoneSupport: true,
		SupportHours: "24x7", Targets: map[string]store.Target{
			"P0": {FirstResponseMinutes: 60, NextResponseMinutes: 120}, "P1": {FirstResponseMinutes: 240, NextResponseMinutes: 480},
			"P2": {FirstResponseMinutes: 480}, "P3": {FirstResponseMinutes: 1440}, "P4": {FirstResponseMinutes: 2880}}}
	silver  = &store.Package{ID: "SILVER", DisplayName: "Silver", SupportCenterAccess: true, SupportHours: "Mon-Fri"}
	catalog = map[string]*store.Product{
		"db": {ID: "db", DisplayName: "CloudDB", SupportHours: "24x7",
			PhoneNumbers: map[string]string{"US": "+1 555", "KR": "+82 555"},
			Classifications: []store.Classification{
				{ID: "db-a", DisplayName: "CloudDB > A", Active: true},
				{ID: "db-old", DisplayName: "CloudDB > Old", Active: false}}},
	}
)

func customer() *store.Org {
	return &store.Org{ID: "cust", DisplayName: "Cust", Kind: store.KindCustomer, Domains: []string{"cust.example"},
		PackageID: "GOLD", ProductIDs: []string{"db", "gone"}, ResellerID: "rs1", ResellerSince: t0,
		ResellerAccess:  store.ResellerAccess{Granted: true, GrantTime: t0},
		ResellerHistory: []store.ResellerTerm{{ResellerID: "", Start: t0.AddDate(-1, 0, 0), End: t0}, {ResellerID: "rs1", Start: t0}},
		CreateTime:      t0.AddDate(-1, 0, 0), UpdateTime: t0}
}

func TestSetGrant(t *testing.T) {
	t.Parallel()
	// Each case gets its own organisation: setGrant edits it.
	noReseller := func() *store.Org { o := customer(); o.ResellerID = ""; return o }
	reseller := func() *store.Org { return &store.Org{ID: "rs", DisplayName: "RS", Kind: store.KindReseller} }
	revoked := func() *store.Org {
		o := customer()
		o.ResellerAccess = store.ResellerAccess{GrantTime: t0, RevokeTime: t0.Add(time.Hour)}
		return o
	}
	tests := []struct {
		name       string
		org        func() *store.Org
		grant      bool
		wantAction string // "" = no change
		wantStatus int    // 0 = no error
	}{
		{"revoke a granted access", customer, false, store.AuditResellerRevoke, 0},
		{"grant a granted access (idempotent)", customer, true, "", 0},
		{"grant a revoked access", revoked, true, store.AuditResellerGrant, 0},
		{"revoke a revoked access (idempotent)", revoked, false, "", 0},
		{"no reseller", noReseller, true, "", http.StatusBadRequest},
		{"not a customer", reseller, false, "", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := tt.org()
			before := *o
			e, err := setGrant(o, tt.grant, "admin@cust.example", now)
			if tt.wantStatus != 0 {
				if apierror.From(err).HTTPStatus != tt.wantStatus || apierror.From(err).Status != "FAILED_PRECONDITION" {
					t.Fatalf("err = %v, want %d FAILED_PRECONDITION", err, tt.wantStatus)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantAction == "" {
				if e != nil || o.ResellerAccess != before.ResellerAccess {
					t.Fatalf("changed: %+v, %+v", e, o.ResellerAccess)
				}
				return
			}
			if e == nil || e.Action != tt.wantAction || e.Actor != "admin@cust.example" || e.Target != "organizations/rs1" {
				t.Fatalf("audit entry %+v", e)
			}
			ra := o.ResellerAccess
			if ra.Granted != tt.grant {
				t.Fatalf("granted = %v", ra.Granted)
			}
			if tt.grant && !ra.GrantTime.Equal(now) || !tt.grant && !ra.RevokeTime.Equal(now) {
				t.Fatalf("times not set from the clock: %+v", ra)
			}
		})
	}
}

func TestMoveTo(t *testing.T) {
	t.Parallel()
	t.Run("to another reseller", func(t *testing.T) {
		t.Parallel()
		o := customer()
		e := moveTo(o, "rs2", "lead@support.example", now)
		want := []store.ResellerTerm{{ResellerID: "", Start: t0.AddDate(-1, 0, 0), End: t0},
			{ResellerID: "rs1", Start: t0, End: now}, {ResellerID: "rs2", Start: now}}
		if !slices.Equal(o.ResellerHistory, want) {
			t.Fatalf("history %+v", o.ResellerHistory)
		}
		if o.ResellerID != "rs2" || !o.ResellerSince.Equal(now) || o.ResellerAccess != (store.ResellerAccess{}) {
			t.Fatalf("org %+v", o)
		}
		if e.Action != store.AuditOrgTransfer || e.Target != "organizations/rs2" || e.Actor != "lead@support.example" ||
			e.Details["fromReseller"] != "organizations/rs1" || e.Details["toReseller"] != "organizations/rs2" ||
			e.Details["fromResellerAccessGranted"] != "true" {
			t.Fatalf("audit %+v", e)
		}
	})
	t.Run("back to the vendor", func(t *testing.T) {
		t.Parallel()
		o := customer()
		e := moveTo(o, "", "lead@support.example", now)
		if o.ResellerID != "" || !o.ResellerSince.Equal(now) || o.ResellerAccess.Granted {
			t.Fatalf("org %+v", o)
		}
		last := o.ResellerHistory[len(o.ResellerHistory)-1]
		if last != (store.ResellerTerm{ResellerID: "", Start: now}) || e.Target != "" || e.Details["toReseller"] != "" {
			t.Fatalf("last term %+v, audit %+v", last, e)
		}
	})
	t.Run("without recorded history", func(t *testing.T) {
		t.Parallel()
		o := customer()
		o.ResellerHistory = nil
		moveTo(o, "rs2", "lead@support.example", now)
		want := []store.ResellerTerm{{ResellerID: "rs1", Start: t0, End: now}, {ResellerID: "rs2", Start: now}}
		if !slices.Equal(o.ResellerHistory, want) {
			t.Fatalf("history %+v", o.ResellerHistory)
		}
	})
	t.Run("from the vendor, never managed before", func(t *testing.T) {
		t.Parallel()
		o := &store.Org{ID: "c", Kind: store.KindCustomer, CreateTime: t0}
		e := moveTo(o, "rs1", "lead@support.example", now)
		want := []store.ResellerTerm{{ResellerID: "", Start: t0, End: now}, {ResellerID: "rs1", Start: now}}
		if !slices.Equal(o.ResellerHistory, want) || e.Details["fromReseller"] != "" {
			t.Fatalf("history %+v audit %+v", o.ResellerHistory, e)
		}
	})
}

func TestOrgView(t *testing.T) {
	t.Parallel()
	full := orgView(customer(), access.Customer, gold, catalog)
	if full.Name != "organizations/cust" || full.Capacity != "CUSTOMER" || len(full.Domains) != 1 ||
		len(full.ResellerHistory) != 2 || full.CreateTime == "" || full.SupportPackage.ID != "GOLD" {
		t.Fatalf("customer view %+v", full)
	}
	if full.Reseller == nil || full.Reseller.Organization != "organizations/rs1" || !full.Reseller.AccessGranted {
		t.Fatalf("reseller %+v", full.Reseller)
	}
	if want := []Product{{"db", "CloudDB"}, {"gone", "gone"}}; !slices.Equal(full.Products, want) {
		t.Fatalf("products %+v", full.Products)
	}
	if full.ResellerHistory[0].Reseller != "" || full.ResellerHistory[1].EndTime != "" {
		t.Fatalf("history %+v", full.ResellerHistory)
	}
	// A reseller sees the grant state and what it needs to act, not the
	// customer's domains, earlier resellers or timestamps.
	rv := orgView(customer(), access.Reseller, gold, catalog)
	if rv.Domains != nil || rv.ResellerHistory != nil || rv.CreateTime != "" || rv.UpdateTime != "" ||
		rv.Reseller == nil || !rv.Reseller.AccessGranted || rv.Capacity != "RESELLER" {
		t.Fatalf("reseller view %+v", rv)
	}
	b, _ := json.Marshal(rv)
	for _, leak := range []string{"cust.example", "resellerHistory", "createTime"} {
		if strings.Contains(string(b), leak) {
			t.Errorf("reseller view leaks %q: %s", leak, b)
		}
	}
	vendor := orgView(&store.Org{ID: "support", Kind: store.KindVendor, ResellerID: "x"}, access.Support, nil, catalog)
	if vendor.Reseller != nil || vendor.SupportPackage != nil {
		t.Fatalf("vendor view %+v", vendor)
	}
}

func TestProductSupportView(t *testing.T) {
	t.Parallel()
	ps := productSupportView(customer(), gold, catalog)
	if ps.Name != "organizations/cust/productSupport" || len(ps.Products) != 1 {
		t.Fatalf("%+v", ps)
	}
	p := ps.Products[0]
	if want := []Classification{{"db-a", "CloudDB > A"}}; !slices.Equal(p.Classifications, want) {
		t.Errorf("classifications %+v (inactive ones must not show)", p.Classifications)
	}
	var prios []string
	for _, sl := range p.ServiceLevels {
		prios = append(prios, sl.Priority)
	}
	if !slices.Equal(prios, casestate.Priorities) || p.ServiceLevels[1].FirstResponseMinutes != 240 || p.ServiceLevels[1].NextResponseMinutes != 480 {
		t.Errorf("service levels %+v", p.ServiceLevels)
	}
	if p.SupportHours != "24x7" || p.Phone == nil || p.Phone.Hours != "24x7" ||
		!slices.Equal(p.Phone.Numbers, []PhoneNumber{{"KR", "+82 555"}, {"US", "+1 555"}}) {
		t.Errorf("hours/phone %+v %+v", p.SupportHours, p.Phone)
	}
	// Silver has no phone support: no numbers at all in the response.
	s := productSupportView(customer(), silver, catalog)
	b, _ := json.Marshal(s)
	if s.Products[0].Phone != nil || strings.Contains(string(b), "+1 555") {
		t.Errorf("silver shows phone numbers: %s", b)
	}
	none := productSupportView(&store.Org{ID: "rs", Kind: store.KindReseller}, nil, catalog)
	if none.Products == nil || len(none.Products) != 0 || none.SupportPackage != nil {
		t.Errorf("reseller org %+v", none)
	}
}

func TestPaginate(t *testing.T) {
	t.Parallel()
	mk := func(ids ...string) []entry {
		var out []entry
		for _, id := range ids {
			out = append(out, entry{org: &store.Org{ID: id}})
		}
		return out
	}
	ids := func(es []entry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.org.ID)
		}
		return out
	}
	page, next := paginate(mk("a", "b", "c"), 2)
	if !slices.Equal(ids(page), []string{"a", "b"}) || next != "b" {
		t.Errorf("got %v %q", ids(page), next)
	}
	page, next = paginate(mk("a", "b"), 2)
	if len(page) != 2 || next != "" {
		t.Errorf("got %v %q", ids(page), next)
	}
	page, next = paginate(nil, 2)
	if len(page) != 0 || next != "" {
		t.Errorf("got %v %q", ids(page), next)
	}
}

func TestRequestCause(t *testing.T) {
	t.Parallel()
	st := &access.AccessStatus{
		Cause: access.CausePending,
		Memberships: []*store.Membership{
			{OrgID: "pend", Status: store.StatusPending},
			{OrgID: "ok", Status: store.StatusActive},
			{OrgID: "legacy", Status: store.StatusActive},
			{OrgID: "off", Status: store.StatusDisabled},
		},
		Orgs: map[string]*store.Org{
			"pend":   {ID: "pend", Kind: store.KindCustomer, PackageID: "GOLD"},
			"ok":     {ID: "ok", Kind: store.KindCustomer, PackageID: "GOLD"},
			"legacy": {ID: "legacy", Kind: store.KindCustomer, PackageID: "LEGACY"},
			"off":    {ID: "off", Kind: store.KindCustomer, PackageID: "GOLD"},
		},
		Packages: map[string]*store.Package{"GOLD": gold, "LEGACY": {ID: "LEGACY"}},
	}
	for org, want := range map[string]string{"": access.CausePending, "pend": access.CausePending, "ok": "",
		"legacy": access.CausePackageNotEligible, "off": access.CauseNotAMember, "elsewhere": access.CauseNotAMember} {
		if got := requestCause(st, org); got != want {
			t.Errorf("requestCause(%q) = %q, want %q", org, got, want)
		}
	}
}

func TestValidateAccessRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      CreateAccessRequest
		wantOrg string
		bad     []string // fields with violations
	}{
		{CreateAccessRequest{Message: " please "}, "", nil},
		{CreateAccessRequest{OrgID: "organizations/acme", Message: "x"}, "acme", nil},
		{CreateAccessRequest{OrgID: "acme", Message: strings.Repeat("한", maxMessageChars)}, "acme", nil},
		{CreateAccessRequest{Message: strings.Repeat("a", maxMessageChars+1)}, "", []string{"message"}},
		{CreateAccessRequest{Message: "   "}, "", []string{"message"}},
		{CreateAccessRequest{OrgID: "a/b", Message: ""}, "", []string{"orgId", "message"}},
		{CreateAccessRequest{OrgID: "__x__", Message: "m"}, "", []string{"orgId"}},
		{CreateAccessRequest{Message: "line 1\r\n\tline 2"}, "", nil},
		{CreateAccessRequest{Message: "please\x00"}, "", []string{"message"}},
		{CreateAccessRequest{Message: "a \u202egnp.exe"}, "", []string{"message"}},
		{CreateAccessRequest{OrgID: "acme", Message: "\u0085"}, "", []string{"message"}},
	}
	for _, tt := range tests {
		org, msg, err := validateAccessRequest(tt.in)
		if tt.bad == nil {
			if err != nil || org != tt.wantOrg || msg != strings.TrimSpace(tt.in.Message) {
				t.Errorf("%+v: %q %q %v", tt.in, org, msg, err)
			}
			continue
		}
		e := apierror.From(err)
		var fields []string
		for _, d := range e.Details {
			if br, ok := d.(*apierror.BadRequest); ok {
				for _, fv := range br.FieldViolations {
					fields = append(fields, fv.Field)
				}
			}
		}
		if e.HTTPStatus != http.StatusBadRequest || !slices.Equal(fields, tt.bad) {
			t.Errorf("%+v: %v fields %v, want %v", tt.in, err, fields, tt.bad)
		}
	}
}

func TestPageTokens(t *testing.T) {
	t.Parallel()
	get := func(q string) *http.Request { return httptest.NewRequest("GET", "/x?"+q, nil) }
	tok := encodeToken("auditLog|a", t0, "doc1")
	pos, err := decodeCursor(get("pageToken="+tok), "auditLog|a")
	if err != nil || !pos.Time.Equal(t0) || pos.ID != "doc1" {
		t.Fatalf("round trip: %+v %v", pos, err)
	}
	// A token of another list (another organisation's audit log) is refused.
	if _, err := decodeCursor(get("pageToken="+tok), "auditLog|b"); apierror.From(err).HTTPStatus != 400 {
		t.Errorf("replayed token: %v", err)
	}
	for _, bad := range []string{"%%%", "bm90LWpzb24", encodeToken("organizations", time.Time{}, "a")} {
		if _, err := decodeCursor(get("pageToken="+url.QueryEscape(bad)), "auditLog|a"); apierror.From(err).HTTPStatus != 400 {
			t.Errorf("token %q: %v", bad, err)
		}
	}
	// An id-only token (organizations.list) has no time and that is fine.
	if tk, ok, err := decodeToken(get("pageToken="+encodeToken(listKey, time.Time{}, "acme")), listKey); err != nil || !ok || tk.ID != "acme" {
		t.Errorf("list token: %+v %v %v", tk, ok, err)
	}
	for q, want := range map[string]int{"": 50, "pageSize=0": 50, "pageSize=7": 7, "pageSize=1000": 100} {
		if n, err := pagination.Size(get(q), defaultPageSize, maxPageSize); err != nil || n != want {
			t.Errorf("%q: %d %v", q, n, err)
		}
	}
	for _, q := range []string{"pageSize=-1", "pageSize=x"} {
		if _, err := pagination.Size(get(q), defaultPageSize, maxPageSize); apierror.From(err).HTTPStatus != 400 {
			t.Errorf("%q: %v", q, err)
		}
	}
}

// stubVerifier maps tokens to identities.
type stubVerifier map[string]*auth.Identity

func (v stubVerifier) Verify(_ context.Context, token string) (*auth.Identity, error) {
	if id, ok := v[token]; ok {
		return id, nil
	}
	return nil, apierror.Unauthenticated("unknown token")
}

// TestRoutesBeforeFirestore covers what the handler decides before it
// reads anything: authentication, paths and verbs, request validation.
// (The Store has no Firestore client: a read would panic.)
func TestRoutesBeforeFirestore(t *testing.T) {
	t.Parallel()
	v := stubVerifier{
		"ok":         {UID: "u1", Email: "a@b.example", EmailVerified: true},
		"unverified": {UID: "u2", Email: "c@d.example"},
	}
	deps := runtime.Assemble(runtime.Config{ProjectID: "p", VendorOrgID: "support"},
		slog.New(slog.NewTextHandler(io.Discard, nil)), store.New(nil), v, clock.NewFake(now))
	srv := httptest.NewServer(New(deps).Routes())
	t.Cleanup(srv.Close)
	tests := []struct {
		method, path, token, body string
		want                      int
		wantReason                string
	}{
		{"GET", "/v2/organizations", "", "", 401, ""},
		{"GET", "/v2/organizations/acme", "", "", 401, ""},
		{"GET", "/v2/organizations/not%20valid", "", "", 401, ""},
		{"GET", "/v2/organizations/acme/productSupport", "", "", 401, ""},
		{"GET", "/v2/organizations/acme/auditLog", "", "", 401, ""},
		{"POST", "/v2/organizations/acme:grantResellerAccess", "", "", 401, ""},
		{"POST", "/v2/organizations/acme:revokeResellerAccess", "", "", 401, ""},
		{"POST", "/v2/organizations/acme:transfer", "", `{"resellerId":""}`, 401, ""},
		{"GET", "/v2/accessRequests", "", "", 401, ""},
		{"POST", "/v2/accessRequests", "", `{"message":"hi"}`, 401, ""},
		{"GET", "/v2/organizations", "bogus", "", 401, ""},
		{"GET", "/v2/organizations/acme:transfer", "ok", "", 404, ""},
		{"POST", "/v2/organizations/acme", "ok", "", 405, ""},
		{"DELETE", "/v2/organizations/acme", "ok", "", 405, ""},
		{"POST", "/v2/organizations/acme:explode", "ok", "", 404, ""},
		{"GET", "/v2/organizations/__bad__", "ok", "", 404, ""},
		{"GET", "/v2/organizations/a:b/productSupport", "ok", "", 404, ""},
		{"GET", "/v2/nothing", "ok", "", 404, ""},
		{"GET", "/v2/organizations", "unverified", "", 403, "ACCESS_REQUIRED"},
		{"POST", "/v2/accessRequests", "unverified", `{"message":"hi"}`, 403, "ACCESS_REQUIRED"},
		{"POST", "/v2/accessRequests", "ok", `{"message":""}`, 400, ""},
		{"POST", "/v2/accessRequests", "ok", `{"message":"x","extra":1}`, 400, ""},
		{"POST", "/v2/accessRequests", "ok", "", 400, ""},
		{"GET", "/v2/organizations?pageSize=-2", "ok", "", 400, ""},
		{"GET", "/v2/organizations?pageToken=garbage", "ok", "", 400, ""},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
		if tt.token != "" {
			req.Header.Set("Authorization", "Bearer "+tt.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s %s (%s): %d, want %d: %s", tt.method, tt.path, tt.token, resp.StatusCode, tt.want, b)
			continue
		}
		if tt.wantReason != "" && !strings.Contains(string(b), `"reason":"`+tt.wantReason+`"`) {
			t.Errorf("%s %s: no reason %s: %s", tt.method, tt.path, tt.wantReason, b)
		}
		if !strings.Contains(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s %s: content type %q", tt.method, tt.path, resp.Header.Get("Content-Type"))
		}
	}
}

func TestDecodeOptionalJSON(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]int{"": 200, "  \n": 200, "{}": 200, `{"resellerId":"x"}`: 200, "[": 400, `{"x":1}`: 400} {
		var in TransferRequest
		err := decodeOptionalJSON(httptest.NewRequest("POST", "/", strings.NewReader(body)), &in)
		got := http.StatusOK
		if err != nil {
			got = apierror.From(err).HTTPStatus
		}
		if got != want {
			t.Errorf("%q: %d (%v), want %d", body, got, err, want)
		}
	}
}
