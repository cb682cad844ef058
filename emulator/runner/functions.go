package main

import (
	"context"
	"net/http"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/functions/activateusers"
	"github.com/supportcenter/supportcenter/functions/attachments"
	"github.com/supportcenter/supportcenter/functions/cases"
	"github.com/supportcenter/supportcenter/functions/catalog"
	"github.com/supportcenter/supportcenter/functions/closestalecases"
	"github.com/supportcenter/supportcenter/functions/finalizeresource"
	"github.com/supportcenter/supportcenter/functions/finalizeupload"
	"github.com/supportcenter/supportcenter/functions/knownissuefanout"
	"github.com/supportcenter/supportcenter/functions/knownissues"
	"github.com/supportcenter/supportcenter/functions/me"
	"github.com/supportcenter/supportcenter/functions/notify"
	"github.com/supportcenter/supportcenter/functions/orgs"
	"github.com/supportcenter/supportcenter/functions/portal"
	"github.com/supportcenter/supportcenter/functions/provision"
	"github.com/supportcenter/supportcenter/functions/relayevents"
	"github.com/supportcenter/supportcenter/functions/resources"
	"github.com/supportcenter/supportcenter/functions/sso"
	"github.com/supportcenter/supportcenter/functions/users"
)

// httpFunctions are the HTTP entry points, by the name each registers with
// functions.HTTP. A test checks this table against the manifest and code.
var httpFunctions = map[string]http.HandlerFunc{
	"me":    me.Entry,
	"orgs":  orgs.Entry,
	"cases": cases.Entry,
	"users": users.Entry,

	"catalog": catalog.Entry,

	"attachments": attachments.Entry,

	"sso":       sso.Entry,
	"resources": resources.Entry,

	"portal": portal.Entry,

	"knownissues": knownissues.Entry,
}

// eventFunctions are the CloudEvent entry points, by registered name.
var eventFunctions = map[string]func(context.Context, event.Event) error{
	"provision":      provision.Entry,
	"activate-users": activateusers.Entry,
	"relay-events":   relayevents.Entry,

	"close-stale-cases": closestalecases.Entry,

	"finalize-upload": finalizeupload.Entry,

	"finalize-resource": finalizeresource.Entry,

	"notify": notify.Entry,

	"knownissue-fanout": knownissuefanout.Entry,
}
