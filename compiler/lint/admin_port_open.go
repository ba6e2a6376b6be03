package lint

import (
	"fmt"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

// AdminPortOpen reports administration and database ports open to the internet.
var AdminPortOpen = &Check{
	ID: "SG102", Name: "admin-port-open", Severity: diag.Error,
	Title: "administration or database port open to the internet",
	Doc: `SSH, RDP, database and cache ports (22, 3389, 3306, 5432, 1433, 6379, 27017, 9200, ...)
open to 0.0.0.0/0 or ::/0 are found by scanners within minutes. Reach them through a
bastion, a VPN or a named network. The list of ports is configurable (admin_ports).`,
	Bad:     "group db \"Databases\"\ninternet -> db tcp/5432 because \"analysts connect\"",
	Good:    "group db \"Databases\"\nnetwork office 203.0.113.0/28 \"Analysts' office\"\noffice -> db tcp/5432 because \"analysts connect\"",
	Checkov: []string{"CKV_AWS_24", "CKV_AWS_25"}, Trivy: []string{"AVD-AWS-0107"}, CfnNag: []string{"W2"},
	Run: func(p *Pass) {
		for f := range p.Program.Active() {
			if !fromInternet(f) {
				continue
			}
			var hit []string
			for _, port := range f.Ports {
				if port.Protocol != model.TCP && port.Protocol != model.UDP {
					continue
				}
				for _, a := range p.Config.AdminPorts {
					if a >= port.From && a <= port.To {
						hit = append(hit, fmt.Sprint(a))
					}
				}
			}
			if len(hit) > 0 {
				p.Report(f, f.PortsRange(), "administration or database port %s open to the internet", strings.Join(dedupe(hit), ", ")).
					WithSuggestion("Reach it through a bastion, a VPN or a named network instead of the internet.")
			}
		}
	},
}
