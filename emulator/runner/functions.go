package main

import (
	"context"
	"net/http"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/functions/me"
)

// httpFunctions are the HTTP entry points, by the name each registers with
// functions.HTTP. A test checks this table against the manifest and code.
var httpFunctions = map[string]http.HandlerFunc{
	"me": me.Serve,
}

// eventFunctions are the CloudEvent entry points, by registered name.
var eventFunctions = map[string]func(context.Context, event.Event) error{}
