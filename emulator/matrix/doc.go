// Package matrix holds the access-matrix test: every API endpoint × every
// kind of actor → the expected HTTP status, sent through the gateway with
// real Auth-emulator tokens (build tag "integration", run by `make test`).
//
// Each feature adds its endpoints in its own rows_<feature>_test.go with
// register(...). The test fails when a manifest route has no endpoint, or an
// endpoint lacks a row for any actor.
package matrix
