// Command deploy takes a Google Cloud project from empty to a running
// Support Center (make deploy): it stages the function sources, enables the
// APIs Terraform itself needs, creates the Terraform state bucket
// ("<project>-tfstate", versioned, private) if it is missing, runs
// terraform init and apply in infra/, and prints what is left to do by
// hand (DNS, the SendGrid key, sender verification, make bootstrap).
// Running it again with the same inputs changes nothing.
//
//	go run ./infra/deploy -project P -region R -domain D [-var-file F] [-yes]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
)

// config is what the operator passes.
type config struct {
	Project, Region, Domain, VarFile string
	Yes                              bool
}

func main() {
	var c config
	flag.StringVar(&c.Project, "project", "", "Google Cloud project id (required)")
	flag.StringVar(&c.Region, "region", "", "region for functions and regional resources (required)")
	flag.StringVar(&c.Domain, "domain", "", "domain name of the public API and portal (required)")
	flag.StringVar(&c.VarFile, "var-file", "", "extra Terraform variables file (alert_email, billing_account, …)")
	flag.BoolVar(&c.Yes, "yes", false, "apply without asking (CI)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := realMain(ctx, c, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "deploy:", err)
		os.Exit(1)
	}
}

func (c config) validate() error {
	var errs []error
	if c.Project == "" {
		errs = append(errs, errors.New("-project is required"))
	}
	if c.Region == "" {
		errs = append(errs, errors.New("-region is required"))
	}
	if c.Domain == "" || strings.Contains(c.Domain, "/") {
		errs = append(errs, errors.New("-domain is required: a host name such as support.example.com"))
	}
	return errors.Join(errs...)
}

// stateBucket holds the Terraform state.
func (c config) stateBucket() string { return c.Project + "-tfstate" }

// step is one command; check, if set, runs first and skips the step when
// it succeeds (so a re-run does not recreate what exists).
type step struct {
	what  string
	check []string
	cmd   []string
	// interactive steps get the terminal (terraform's confirmation prompt).
	interactive bool
}

// steps is the deployment, in order.
func steps(c config) []step {
	gs := "gs://" + c.stateBucket()
	tfvars := []string{"-var", "project_id=" + c.Project, "-var", "region=" + c.Region, "-var", "api_domain=" + c.Domain}
	if c.VarFile != "" {
		tfvars = append(tfvars, "-var-file="+c.VarFile)
	}
	apply := append([]string{"terraform", "-chdir=infra", "apply", "-input=" + fmt.Sprint(!c.Yes)}, tfvars...)
	if c.Yes {
		apply = append(apply, "-auto-approve")
	}
	return []step{
		{what: "stage function sources", cmd: []string{"go", "run", "./infra/stage", "-out", ".build/functions"}},
		// Terraform enables the rest; these it needs before it can start.
		{what: "enable the APIs Terraform needs", cmd: []string{"gcloud", "services", "enable",
			"serviceusage.googleapis.com", "cloudresourcemanager.googleapis.com", "storage.googleapis.com", "--project", c.Project}},
		{what: "create the state bucket " + gs,
			check: []string{"gcloud", "storage", "buckets", "describe", gs, "--project", c.Project, "--format=value(name)"},
			cmd: []string{"gcloud", "storage", "buckets", "create", gs, "--project", c.Project, "--location", c.Region,
				"--uniform-bucket-level-access", "--public-access-prevention"}},
		// Versioning lets a bad apply's state be rolled back.
		{what: "keep state versions", cmd: []string{"gcloud", "storage", "buckets", "update", gs, "--versioning"}},
		{what: "terraform init", cmd: []string{"terraform", "-chdir=infra", "init", "-input=false", "-reconfigure",
			"-backend-config=bucket=" + c.stateBucket()}},
		{what: "terraform apply", cmd: apply, interactive: !c.Yes},
	}
}

func realMain(ctx context.Context, c config, out io.Writer) error {
	if err := c.validate(); err != nil {
		return err
	}
	for _, tool := range []string{"go", "gcloud", "terraform"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is not installed (README, Deployment: prerequisites)", tool)
		}
	}
	for _, s := range steps(c) {
		if s.check != nil && exec.CommandContext(ctx, s.check[0], s.check[1:]...).Run() == nil {
			fmt.Fprintf(out, "== %s: already done\n", s.what)
			continue
		}
		fmt.Fprintf(out, "== %s\n$ %s\n", s.what, strings.Join(s.cmd, " "))
		cmd := exec.CommandContext(ctx, s.cmd[0], s.cmd[1:]...)
		cmd.Stdout, cmd.Stderr = out, os.Stderr
		if s.interactive {
			cmd.Stdin = os.Stdin
		}
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", s.what, err)
		}
	}
	var o outputs
	b, err := exec.CommandContext(ctx, "terraform", "-chdir=infra", "output", "-json").Output()
	if err == nil {
		err = json.Unmarshal(b, &o)
	}
	if err != nil {
		return fmt.Errorf("terraform output: %w", err)
	}
	fmt.Fprint(out, remaining(c, o))
	return nil
}

// outputs are the Terraform outputs the remaining steps need.
type outputs struct {
	APIIP     struct{ Value string } `json:"api_ip"`
	Secrets   struct{ Value []string }
	MailFrom  struct{ Value string } `json:"mail_from"`
	PortalURL struct{ Value string } `json:"portal_url"`
}

// remaining is what the operator still does by hand.
func remaining(c config, o outputs) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "\nDeployed. What is left to do by hand:\n\n")
	fmt.Fprintf(&b, "1. DNS: an A record %s -> %s. The managed certificate is issued once it resolves\n"+
		"   (usually 15-60 minutes; `gcloud compute ssl-certificates describe supportcenter-api --project %s`).\n",
		c.Domain, o.APIIP.Value, c.Project)
	for _, s := range o.Secrets.Value {
		fmt.Fprintf(&b, "2. Secret %s: add the real value (kept out of Terraform state):\n"+
			"   printf %%s \"$SENDGRID_API_KEY\" | gcloud secrets versions add %s --data-file=- --project %s\n", s, s, c.Project)
	}
	fmt.Fprintf(&b, "3. SendGrid: verify the sender %s (Settings > Sender Authentication: the single\n"+
		"   sender, or better the domain), or every e-mail is refused.\n", o.MailFrom.Value)
	fmt.Fprintf(&b, "4. First data: make bootstrap PROJECT=%s FILE=<your copy of infra/bootstrap.example.yaml>\n", c.Project)
	fmt.Fprintf(&b, "\nThe portal: %s\n", o.PortalURL.Value)
	return b.String()
}
