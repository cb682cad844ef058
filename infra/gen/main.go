// Command gen writes infra/plan.json: every name, grant and setting the
// deployment derives from infra/functions.yaml, computed by
// shared/manifest (the same derivation the local stack uses). Terraform
// reads the file as it is and derives nothing itself. A test fails when the
// committed file is not what this command would write.
//
//	go run ./infra/gen            # from the repository root (make generate)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/supportcenter/supportcenter/shared/manifest"
)

func main() {
	out := flag.String("out", "infra/plan.json", "where to write the plan")
	flag.Parse()
	b, err := render()
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// render derives the project-independent plan and checks its names
// against Google's limits.
func render() ([]byte, error) {
	m, err := manifest.Load()
	if err != nil {
		return nil, err
	}
	p := manifest.Derive(m, manifest.ProjectPlaceholder)
	if err := p.CheckLimits(); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
