package orgs

import (
	"context"
	"errors"
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/events"
)

// Config is the orgs function's own configuration.
type Config struct {
	// ActivationDelay is how long the memberships this function creates (a
	// new organisation's first admins, approved access requests) stay
	// PENDING: the same ACTIVATION_DELAY as an added user's (0–24h).
	ActivationDelay time.Duration `env:"ACTIVATION_DELAY" default:"24h"`
}

// Validate checks the activation delay.
func (c Config) Validate() error { return provisioning.CheckActivationDelay(c.ActivationDelay) }

// unpublished is the publisher of a Handler built without WithEvents: it
// publishes nothing, so committed events stay in the outbox for the relay.
type unpublished struct{}

func (unpublished) Publish(context.Context, ...events.Message) error {
	return errors.New("orgs: no event publisher configured")
}
