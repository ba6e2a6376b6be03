package activity

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/sgc-dev/sgc/account/live"
)

// LookupOptions say where and how far back LookupAWS reads.
type LookupOptions struct {
	Region, Profile string        // "" for the standard chain
	Since           time.Duration // how far back from now
	Now             time.Time     // the end of the window (zero: now)
	// MaxEvents bounds the events read (0: 100,000): LookupEvents
	// answers 50 a page, 2 a second, so more would take over half an hour.
	MaxEvents int
}

// IAMLookupActions are the permissions LookupAWS needs.
var IAMLookupActions = []string{"cloudtrail:LookupEvents"}

// LookupAWS reads the last Since of EC2's management events through
// CloudTrail's LookupEvents (the standard credential chain and endpoint
// settings: AWS_ENDPOINT_URL_CLOUDTRAIL points it elsewhere) and calls
// each for every security group call, as Read does for a log file.
func LookupAWS(ctx context.Context, opts LookupOptions, each func(*Event)) (skipped int, err error) {
	cfg, err := live.LoadConfig(ctx, opts.Region, opts.Profile)
	if err != nil {
		return 0, err
	}
	end := opts.Now
	if end.IsZero() {
		end = time.Now()
	}
	max := opts.MaxEvents
	if max == 0 {
		max = 100_000
	}
	client := cloudtrail.NewFromConfig(cfg)
	pages := cloudtrail.NewLookupEventsPaginator(client, &cloudtrail.LookupEventsInput{
		StartTime: aws.Time(end.Add(-opts.Since)), EndTime: aws.Time(end),
		LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: cttypes.LookupAttributeKeyEventSource, AttributeValue: aws.String("ec2.amazonaws.com")}},
	}, func(o *cloudtrail.LookupEventsPaginatorOptions) { o.StopOnDuplicateToken = true })
	seen := 0
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return skipped, fmt.Errorf("cloudtrail:LookupEvents: %w", err)
		}
		for _, ev := range page.Events {
			if seen++; seen > max {
				return skipped, fmt.Errorf("more than %d events in the window: give a shorter --since, or read the trail's log files", max)
			}
			if ev.CloudTrailEvent == nil || len(*ev.CloudTrailEvent) > MaxRecord {
				skipped++
				continue
			}
			var e Event
			if err := json.Unmarshal([]byte(*ev.CloudTrailEvent), &e); err != nil {
				skipped++
				continue
			}
			if e.Source == "ec2.amazonaws.com" && Calls[e.Name] {
				each(&e)
			}
		}
	}
	return skipped, nil
}
