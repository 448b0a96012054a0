package boxes_test

import (
	"fmt"
	"log"

	"github.com/boxes-project/boxes"
)

// The first article's equations from text a person types: 40 jobs a second of
// 200 ms each on $0.10-an-hour boxes, held at 80% utilization.
func Example() {
	latency, err := boxes.ParseDuration("200ms")
	if err != nil {
		log.Fatal(err)
	}
	rate, err := boxes.ParseRate("2.4k/min")
	if err != nil {
		log.Fatal(err)
	}
	price, err := boxes.ParsePrice("$0.10/h")
	if err != nil {
		log.Fatal(err)
	}
	box := boxes.Box{Latency: latency, Price: price}

	capacity := box.CapacityFor(rate, 0.8) // ceil(JobRate × Latency / 0.8)
	throughput := box.Throughput(float64(capacity))
	fmt.Println("job rate:", rate)
	fmt.Println("capacity:", capacity, "boxes")
	fmt.Println("throughput:", throughput)
	fmt.Printf("utilization: %.2f\n", boxes.Utilization(rate, throughput))
	fmt.Printf("cost: $%.2f a day\n", box.Cost(float64(capacity), boxes.Day))

	target := 0.8
	e, err := boxes.Question{
		Box: box, JobRate: &rate, Utilization: &target,
		Serverless: boxes.DefaultServerlessPrice(),
	}.Estimate()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("per million jobs: boxes $%.2f, serverless $%.2f\n", e.CostPerMillionJobs, e.ServerlessCostPerMillionJobs)
	fmt.Printf("break-even utilization: %.2f\n", e.BreakEvenUtilization)
	// Output:
	// job rate: 40/s
	// capacity: 10 boxes
	// throughput: 50/s
	// utilization: 0.80
	// cost: $24.00 a day
	// per million jobs: boxes $6.94, serverless $5.96
	// break-even utilization: 0.93
}

// AWS Lambda's pricing Example 1: 512 MB, 3 million requests of 1 s in a
// month, at the page's $0.00001667 per GB-s, with the free tier.
func ExampleServerlessPrice_MonthlyCost() {
	req, _ := boxes.ParsePrice("$0.20/M requests")
	gbs, _ := boxes.ParsePrice("$0.00001667/GB-s")
	mem, _ := boxes.ParseMemory("512MB")
	s := boxes.ServerlessPrice{Request: req, GBSecond: gbs, MemoryGB: mem}.WithLambdaFreeTier()
	second, _ := boxes.ParseDuration("1s")
	fmt.Printf("$%.2f per month\n", s.MonthlyCost(3e6, second))
	// Output: $18.74 per month
}
