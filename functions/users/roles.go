package users

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

// roleOrder is the canonical order of roles in a list.
var roleOrder = []string{store.RoleOrgAdmin, store.RoleProductAdmin, store.RoleMember, store.RoleViewer}

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
	for _, role := range roleOrder {
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

// normalizeRoles validates roles for org and returns them in canonical form.
func normalizeRoles(in []store.Role, org *store.Org) ([]store.Role, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("at least one role is required (%s)", strings.Join(roleOrder, ", "))
	}
	if len(in) > maxRoleEntries {
		return nil, fmt.Errorf("at most %d role entries", maxRoleEntries)
	}
	for _, r := range in {
		if !slices.Contains(roleOrder, r.Role) {
			return nil, fmt.Errorf("unknown role %q: use one of %s", r.Role, strings.Join(roleOrder, ", "))
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

// checkProductAdminChange allows a change from old to new roles only when
// every grant added or removed is a product-scoped, non-org-admin grant on a
// product the caller administers.
func checkProductAdminChange(old, updated []store.Role, administered []string) error {
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

// isOrgAdmin reports whether roles hold ORG_ADMIN.
func isOrgAdmin(roles []store.Role) bool {
	return slices.ContainsFunc(roles, func(r store.Role) bool { return r.Role == store.RoleOrgAdmin })
}
