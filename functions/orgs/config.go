package orgs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/supportcenter/supportcenter/shared/events"
)

// Config is the orgs function's own configuration.
type Config struct {
	// ActivationDelay is how long after an approved access request the
	// new membership becomes active: the same ACTIVATION_DELAY as an added
	// user's (0–24h).
	ActivationDelay time.Duration `env:"ACTIVATION_DELAY" default:"24h"`
}

// maxActivationDelay is the promise made to customers.
const maxActivationDelay = 24 * time.Hour

// Validate checks the activation delay.
func (c Config) Validate() error {
	if c.ActivationDelay < 0 || c.ActivationDelay > maxActivationDelay {
		return fmt.Errorf("ACTIVATION_DELAY must be between 0 and %s, got %s", maxActivationDelay, c.ActivationDelay)
	}
	return nil
}

// unpublished is the publisher of a Handler built without WithEvents: it
// publishes nothing, so committed events stay in the outbox for the relay.
type unpublished struct{}

func (unpublished) Publish(context.Context, ...events.Message) error {
	return errors.New("orgs: no event publisher configured")
}
