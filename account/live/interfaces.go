package live

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/sgc-dev/sgc/internal/awsform"
)

// Interface is a network interface as sgc needs it to read flow logs: its
// id, the groups attached to it and the addresses it holds.
type Interface struct {
	ID        string
	VpcID     string
	Groups    []string     // sg- ids
	Addresses []netip.Addr // private IPv4 and IPv6 addresses, and the public IPv4 one
}

// interfacesExport is the output of aws ec2 describe-network-interfaces,
// the fields sgc reads.
type interfacesExport struct {
	NetworkInterfaces *[]struct {
		NetworkInterfaceID string `json:"NetworkInterfaceId"`
		VpcID              string `json:"VpcId"`
		Groups             []struct {
			GroupID string `json:"GroupId"`
		} `json:"Groups"`
		PrivateIPAddresses []struct {
			PrivateIPAddress string `json:"PrivateIpAddress"`
			Association      *struct {
				PublicIP string `json:"PublicIp"`
			} `json:"Association"`
		} `json:"PrivateIpAddresses"`
		IPv6Addresses []struct {
			IPv6Address string `json:"Ipv6Address"`
		} `json:"Ipv6Addresses"`
	} `json:"NetworkInterfaces"`
}

// ParseInterfaces reads the output of aws ec2 describe-network-interfaces.
// Ids and addresses must be in AWS's forms: the document is data.
func ParseInterfaces(data []byte) ([]Interface, error) {
	var e interfacesExport
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("not the JSON of aws ec2 describe-network-interfaces: %v", err)
	}
	if e.NetworkInterfaces == nil {
		return nil, fmt.Errorf("no NetworkInterfaces in the document: is it the output of aws ec2 describe-network-interfaces?")
	}
	var out []Interface
	for _, n := range *e.NetworkInterfaces {
		in := Interface{ID: n.NetworkInterfaceID, VpcID: n.VpcID}
		for _, g := range n.Groups {
			in.Groups = append(in.Groups, g.GroupID)
		}
		var addrs []string
		for _, a := range n.PrivateIPAddresses {
			addrs = append(addrs, a.PrivateIPAddress)
			if a.Association != nil && a.Association.PublicIP != "" {
				addrs = append(addrs, a.Association.PublicIP)
			}
		}
		for _, a := range n.IPv6Addresses {
			addrs = append(addrs, a.IPv6Address)
		}
		if err := in.fill(addrs); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// fill checks the interface's ids and reads its addresses.
func (in *Interface) fill(addrs []string) error {
	if !awsform.InterfaceID.MatchString(in.ID) {
		return fmt.Errorf("network interface id %q is not in AWS's form (eni-...)", in.ID)
	}
	for _, g := range in.Groups {
		if !awsform.GroupID.MatchString(g) {
			return fmt.Errorf("%s: group id %q is not in AWS's form (sg-...)", in.ID, g)
		}
	}
	for _, s := range addrs {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return fmt.Errorf("%s: %q is not an IP address", in.ID, s)
		}
		in.Addresses = append(in.Addresses, a.Unmap())
	}
	return nil
}

// IAMInterfaceActions are the permissions FetchInterfaces needs.
var IAMInterfaceActions = []string{"ec2:DescribeNetworkInterfaces"}

// FetchInterfaces reads the account's network interfaces (of one VPC when
// opts.VPC is set) through the EC2 API, as FetchAWS reads groups.
func FetchInterfaces(ctx context.Context, opts AWSOptions) ([]Interface, error) {
	s, err := newSession(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer s.cancel()
	var filters []ec2types.Filter
	if opts.VPC != "" {
		filters = append(filters, ec2types.Filter{Name: aws.String("vpc-id"), Values: []string{opts.VPC}})
	}
	pager := ec2.NewDescribeNetworkInterfacesPaginator(s.client, &ec2.DescribeNetworkInterfacesInput{Filters: filters, MaxResults: pageSize(opts.PageSize)},
		func(o *ec2.DescribeNetworkInterfacesPaginatorOptions) { o.StopOnDuplicateToken = true })
	pages := pageGuard{action: "ec2:DescribeNetworkInterfaces"}
	var out []Interface
	for pager.HasMorePages() {
		page, err := pager.NextPage(s.ctx)
		if err != nil {
			return nil, explain(err, "ec2:DescribeNetworkInterfaces")
		}
		if err := pages.next(page.NextToken); err != nil {
			return nil, err
		}
		for _, n := range page.NetworkInterfaces {
			in := Interface{ID: aws.ToString(n.NetworkInterfaceId), VpcID: aws.ToString(n.VpcId)}
			for _, g := range n.Groups {
				in.Groups = append(in.Groups, aws.ToString(g.GroupId))
			}
			var addrs []string
			for _, a := range n.PrivateIpAddresses {
				addrs = append(addrs, aws.ToString(a.PrivateIpAddress))
				if a.Association != nil && aws.ToString(a.Association.PublicIp) != "" {
					addrs = append(addrs, aws.ToString(a.Association.PublicIp))
				}
			}
			for _, a := range n.Ipv6Addresses {
				addrs = append(addrs, aws.ToString(a.Ipv6Address))
			}
			if err := in.fill(addrs); err != nil {
				return nil, err
			}
			out = append(out, in)
		}
	}
	return out, nil
}
