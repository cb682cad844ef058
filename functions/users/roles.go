package users

import (
	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/store"
)

// The roles a user may hold, and how a change is checked and recorded, are
// the access policy's (access.NormalizeRoles and its neighbours): an
// approved access request grants them through the same rules.

func normalizeRoles(in []store.Role, org *store.Org) ([]store.Role, error) {
	return access.NormalizeRoles(in, org)
}

func checkProductAdminChange(old, updated []store.Role, administered []string) error {
	return access.CheckProductAdminChange(old, updated, administered)
}

// describeRoles renders roles for audit details and comparisons.
func describeRoles(roles []store.Role) string { return access.DescribeRoles(roles) }
