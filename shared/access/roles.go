package access

import (
	"fmt"
	"slices"
	"strings"

	"github.com/supportcenter/supportcenter/shared/store"
)

// Limits on a roles list.
const (
	maxRoleEntries    = 20
	maxProductsInRole = 50
)

// roleOrder is the canonical order of a customer's or reseller's roles in
// a list; staffRoleOrder that of the vendor organisation's, which are
// organisation-wide only.
var (
	roleOrder      = []string{store.RoleOrgAdmin, store.RoleProductAdmin, store.RoleMember, store.RoleViewer}
	staffRoleOrder = []string{store.RoleSupportAdmin, store.RoleSupportAgent}
)

// grant is one role on one product ("" = organisation-wide).
type grant struct{ role, product string }

func grants(roles []store.Role) map[grant]bool {
	out := map[grant]bool{}
	for _, r := range roles {
		if len(r.ProductIDs) == 0 {
			out[grant{r.Role, ""}] = true
		}
		for _, p := range r.ProductIDs {
			out[grant{r.Role, p}] = true
		}
	}
	return out
}

// canonical rebuilds a roles list from grants: roles in roleOrder, products
// sorted, product grants dropped where the same role is organisation-wide.
func canonical(gs map[grant]bool) []store.Role {
	out := []store.Role{}
	for _, role := range slices.Concat(roleOrder, staffRoleOrder) {
		if gs[grant{role, ""}] {
			out = append(out, store.Role{Role: role})
			continue
		}
		var products []string
		for g := range gs {
			if g.role == role && g.product != "" {
				products = append(products, g.product)
			}
		}
		if len(products) > 0 {
			slices.Sort(products)
			out = append(out, store.Role{Role: role, ProductIDs: products})
		}
	}
	return out
}

// NormalizeRoles validates a roles list for a user of org and returns it
// in canonical form: the vendor organisation's users hold the support
// roles (organisation-wide), everyone else the customer roles.
func NormalizeRoles(in []store.Role, org *store.Org) ([]store.Role, error) {
	valid := roleOrder
	if org.Kind == store.KindVendor {
		valid = staffRoleOrder
	}
	if len(in) == 0 {
		return nil, fmt.Errorf("at least one role is required (%s)", strings.Join(valid, ", "))
	}
	if len(in) > maxRoleEntries {
		return nil, fmt.Errorf("at most %d role entries", maxRoleEntries)
	}
	for _, r := range in {
		if !slices.Contains(valid, r.Role) {
			return nil, fmt.Errorf("unknown role %q: use one of %s", r.Role, strings.Join(valid, ", "))
		}
		if org.Kind == store.KindVendor && len(r.ProductIDs) > 0 {
			return nil, fmt.Errorf("%s is organisation-wide: give no productIds", r.Role)
		}
		if len(r.ProductIDs) > maxProductsInRole {
			return nil, fmt.Errorf("role %s: at most %d products", r.Role, maxProductsInRole)
		}
		switch {
		case r.Role == store.RoleOrgAdmin && len(r.ProductIDs) > 0:
			return nil, fmt.Errorf("%s is organisation-wide: give no productIds", store.RoleOrgAdmin)
		case r.Role == store.RoleProductAdmin && len(r.ProductIDs) == 0:
			return nil, fmt.Errorf("%s needs productIds", store.RoleProductAdmin)
		}
		for _, p := range r.ProductIDs {
			if !slices.Contains(org.ProductIDs, p) {
				return nil, fmt.Errorf("role %s: %s has no support for product %q", r.Role, org.DisplayName, p)
			}
		}
	}
	return canonical(grants(in)), nil
}

// CheckProductAdminChange allows a change from old to new roles only when
// every grant added or removed is a product-scoped, non-org-admin grant on a
// product the caller administers.
func CheckProductAdminChange(old, updated []store.Role, administered []string) error {
	before, after := grants(canonical(grants(old))), grants(updated)
	changed := map[grant]bool{}
	for g := range before {
		if !after[g] {
			changed[g] = true
		}
	}
	for g := range after {
		if !before[g] {
			changed[g] = true
		}
	}
	for g := range changed {
		switch {
		case g.role == store.RoleOrgAdmin:
			return fmt.Errorf("only organisation admins can grant or revoke %s", store.RoleOrgAdmin)
		case g.product == "":
			return fmt.Errorf("only organisation admins can change organisation-wide roles (%s)", g.role)
		case !slices.Contains(administered, g.product):
			return fmt.Errorf("you can change roles only on the products you administer (%s), not on %q",
				strings.Join(administered, ", "), g.product)
		}
	}
	return nil
}

// AdminRole is the role whose last active holder an organisation must
// keep: SUPPORT_ADMIN in the vendor organisation, ORG_ADMIN elsewhere.
func AdminRole(org *store.Org) string {
	if org.Kind == store.KindVendor {
		return store.RoleSupportAdmin
	}
	return store.RoleOrgAdmin
}

// HoldsRole reports whether roles hold role.
func HoldsRole(roles []store.Role, role string) bool {
	return slices.ContainsFunc(roles, func(r store.Role) bool { return r.Role == role })
}

// DescribeRoles renders roles for audit details and comparisons:
// "ORG_ADMIN; MEMBER[analytics,clouddb]".
func DescribeRoles(roles []store.Role) string {
	parts := make([]string, 0, len(roles))
	for _, r := range canonical(grants(roles)) {
		if len(r.ProductIDs) == 0 {
			parts = append(parts, r.Role)
			continue
		}
		parts = append(parts, r.Role+"["+strings.Join(r.ProductIDs, ",")+"]")
	}
	return strings.Join(parts, "; ")
}
