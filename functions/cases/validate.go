package cases

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // IANA names must validate wherever the function runs
	"unicode/utf8"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Size bounds, in characters. A case with every field at its bound stays
// well below Firestore's 1 MiB document limit (with search tokens).
const (
	maxDisplayName       = 200
	maxDescription       = 30_000
	maxProductVersion    = 200
	maxStackTrace        = 32_000
	maxReproductionSteps = 16_000
	maxRelatedCode       = 32_000
	maxApplicationFlow   = 16_000
	maxUserImpact        = 4_000
	maxSubscribers       = 20
	maxEmail             = 254
	maxCommentBody       = 12_800 // Cloud Support's limit
	maxJustification     = 4_000
	maxSurveyText        = 4_000
	// clockSkew tolerates client clocks slightly ahead of ours.
	clockSkew = 5 * time.Minute
)

// violations collects every problem of a request so the caller hears about
// all of them at once.
type violations struct{ e *apierror.Error }

func (v *violations) add(field, format string, args ...any) {
	desc := fmt.Sprintf(format, args...)
	if v.e == nil {
		v.e = apierror.InvalidArgument("%s: %s", field, desc)
	} else {
		v.e.Message += fmt.Sprintf("; %s: %s", field, desc)
	}
	v.e.WithFieldViolation(field, desc)
}

func (v *violations) err() error {
	if v.e == nil {
		return nil
	}
	return v.e
}

// text checks a free-text field of kind k (package text refuses control
// and bidi characters); the value is kept as written (leading indentation
// matters in stack traces and code).
func (v *violations) text(field, val string, k text.Kind, required bool, limit int) string {
	switch n := utf8.RuneCountInString(val); {
	case required && strings.TrimSpace(val) == "":
		v.add(field, "required")
	case n > limit:
		v.add(field, "at most %d characters (got %d)", limit, n)
	default:
		if p := text.Check(val, k); p != "" {
			v.add(field, "%s", p)
		}
	}
	return val
}

func (v *violations) email(field, s string) string {
	s = store.NormalizeEmail(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > maxEmail || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		v.add(field, "%q is not an e-mail address", s)
	}
	return s
}

func (v *violations) subscribers(list []string) []string {
	if len(list) > maxSubscribers {
		v.add("subscriberEmailAddresses", "at most %d addresses (got %d)", maxSubscribers, len(list))
		return nil
	}
	out := []string{}
	seen := map[string]bool{}
	for i, s := range list {
		e := v.email(fmt.Sprintf("subscriberEmailAddresses[%d]", i), s)
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

func (v *violations) time(field, s string, now time.Time) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		v.add(field, "%q is not an RFC 3339 time", s)
		return time.Time{}
	}
	if t.After(now.Add(clockSkew)) {
		v.add(field, "must not be in the future")
	}
	return t.UTC()
}

var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// newCase validates a create request and returns the case to store (ids,
// creator, product and times are the caller's to fill).
func newCase(in *Case, now time.Time) (*store.Case, error) {
	var v violations
	c := &store.Case{
		DisplayName: v.text("displayName", strings.TrimSpace(in.DisplayName), text.Line, true, maxDisplayName),
		Description: v.text("description", in.Description, text.Multiline, true, maxDescription),
		Priority:    string(in.Priority),
		TestCase:    in.TestCase,
	}
	if in.Classification == nil || strings.TrimSpace(in.Classification.ID) == "" {
		v.add("classification.id", "required (find one with caseClassifications:search)")
	} else {
		c.ClassificationID = strings.TrimSpace(in.Classification.ID)
	}
	if c.Priority == "" {
		v.add("priority", "required (P0 … P4)")
	}
	if in.TimeZone != "" {
		if _, err := time.LoadLocation(in.TimeZone); err != nil || in.TimeZone == "Local" {
			v.add("timeZone", "%q is not an IANA time zone name", in.TimeZone)
		}
		c.TimeZone = in.TimeZone
	}
	c.LanguageCode = "en"
	if in.LanguageCode != "" {
		if !languageTag.MatchString(in.LanguageCode) {
			v.add("languageCode", "%q is not a BCP-47 language tag", in.LanguageCode)
		}
		c.LanguageCode = in.LanguageCode
	}
	if in.ContactEmail != "" {
		c.ContactEmail = v.email("contactEmail", in.ContactEmail)
	}
	c.SubscriberEmailAddresses = v.subscribers(in.SubscriberEmailAddresses)
	c.Intake = intake(&v, in, now)
	if in.KnownIssueName != "" {
		id, ok := wire.ParseKnownIssueName(in.KnownIssueName)
		if !ok {
			v.add("knownIssueName", "must look like knownIssues/{id}")
		}
		c.KnownIssueID = id
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return c, nil
}

func intake(v *violations, in *Case, now time.Time) store.Intake {
	it := store.Intake{
		IssueStartTime:    v.time("issueStartTime", in.IssueStartTime, now),
		IssueEndTime:      v.time("issueEndTime", in.IssueEndTime, now),
		ProductVersion:    v.text("productVersion", in.ProductVersion, text.Line, false, maxProductVersion),
		StackTrace:        v.text("stackTrace", in.StackTrace, text.Multiline, false, maxStackTrace),
		ReproductionSteps: v.text("reproductionSteps", in.ReproductionSteps, text.Multiline, false, maxReproductionSteps),
		RelatedCode:       v.text("relatedCode", in.RelatedCode, text.Multiline, false, maxRelatedCode),
		ApplicationFlow:   v.text("applicationFlow", in.ApplicationFlow, text.Multiline, false, maxApplicationFlow),
		UserImpact:        v.text("userImpact", in.UserImpact, text.Multiline, false, maxUserImpact),
	}
	if !it.IssueStartTime.IsZero() && !it.IssueEndTime.IsZero() && it.IssueEndTime.Before(it.IssueStartTime) {
		v.add("issueEndTime", "must not be before issueStartTime")
	}
	if !it.IssueEndTime.IsZero() && it.IssueStartTime.IsZero() {
		v.add("issueStartTime", "required when issueEndTime is set")
	}
	if p := in.UsersAffectedPercent; p != nil {
		if *p < 0 || *p > 100 {
			v.add("usersAffectedPercent", "must be between 0 and 100")
		}
		pct := *p
		it.UsersAffectedPercent = &pct
	}
	return it
}

// Field mask paths of cases.patch (camelCase as Google's client sends them;
// snake_case accepted too). "state" is our extension for support staff.
const (
	pathDisplayName = "displayName"
	pathPriority    = "priority"
	pathSubscribers = "subscriberEmailAddresses"
	pathState       = "state"
)

var maskAliases = map[string]string{
	"displayName": pathDisplayName, "display_name": pathDisplayName,
	"priority":                 pathPriority,
	"subscriberEmailAddresses": pathSubscribers, "subscriber_email_addresses": pathSubscribers,
	"state": pathState,
}

// parseMask parses updateMask; empty means the three customer fields, as
// in Cloud Support.
func parseMask(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return []string{pathDisplayName, pathPriority, pathSubscribers}, nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		path, ok := maskAliases[p]
		if !ok {
			return nil, apierror.InvalidArgument("updateMask: %q cannot be updated; updatable fields are displayName, priority, subscriberEmailAddresses (and state, for support staff)", p).
				WithFieldViolation("updateMask", "unknown or read-only field "+p)
		}
		out = append(out, path)
	}
	return out, nil
}

// patchValues validates the masked fields of a patch body.
func patchValues(in *Case, mask []string) (displayName, priority, state string, subscribers []string, err error) {
	var v violations
	for _, p := range mask {
		switch p {
		case pathDisplayName:
			displayName = v.text("displayName", strings.TrimSpace(in.DisplayName), text.Line, true, maxDisplayName)
		case pathPriority:
			if priority = string(in.Priority); priority == "" {
				v.add("priority", "required (P0 … P4)")
			}
		case pathSubscribers:
			subscribers = v.subscribers(in.SubscriberEmailAddresses)
		case pathState:
			if state = string(in.State); state == "" {
				v.add("state", "required")
			}
		}
	}
	return displayName, priority, state, subscribers, v.err()
}

// commentBody validates a comment body (plainTextBody is accepted as the
// deprecated spelling).
func commentBody(in *Comment) (string, error) {
	body := in.Body
	if strings.TrimSpace(body) == "" {
		body = in.PlainTextBody
	}
	var v violations
	v.text("body", body, text.Multiline, true, maxCommentBody)
	return body, v.err()
}

// escalation validates an :escalate request.
func escalation(in *EscalateRequest) (reason, justification string, err error) {
	var v violations
	if in.Escalation == nil {
		v.add("escalation", "required: {reason, justification}")
		return "", "", v.err()
	}
	reason = string(in.Escalation.Reason)
	if reason == "" {
		v.add("escalation.reason", "required (RESOLUTION_TIME, TECHNICAL_EXPERTISE or BUSINESS_IMPACT)")
	}
	justification = v.text("escalation.justification", in.Escalation.Justification, text.Multiline, true, maxJustification)
	return reason, justification, v.err()
}

// survey validates a survey submission.
func survey(in *Survey) (rating int, txt string, err error) {
	var v violations
	if in.Rating < 1 || in.Rating > 5 {
		v.add("rating", "must be 1 to 5")
	}
	txt = v.text("text", in.Text, text.Multiline, false, maxSurveyText)
	return in.Rating, txt, v.err()
}
