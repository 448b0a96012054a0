package manifest_test

import (
	"fmt"
	"strings"

	"github.com/boxes-project/boxes/manifest"
)

// ExampleRead reads an HPA and prints what boxes understood of it.
func ExampleRead() {
	const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: shop
  annotations:
    boxes.dev/signal.http_requests_per_second: jobrate
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 20
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
  - type: Pods
    pods:
      metric: {name: http_requests_per_second}
      target: {type: AverageValue, averageValue: "40"}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 120
`
	policies, err := manifest.Read(strings.NewReader(hpa), "hpa.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range policies {
		fmt.Println(p.Name, "from", p.Source)
		for _, s := range p.Echo {
			fmt.Printf("  %s = %s: %s\n", s.Field, s.Value, s.Means)
		}
	}
	// Output:
	// shop/web from hpa.yaml:1
	//   spec.scaleTargetRef = Deployment/web: the boxes of the scenario
	//   spec.minReplicas = 2: at least 2 boxes
	//   spec.maxReplicas = 20: at most 20 boxes
	//   spec.metrics[0] = Resource cpu Utilization 70%: cpu at 70% of a 1-core request per box, a busy box using its whole request
	//   spec.metrics[1] = Pods http_requests_per_second AverageValue 40: 40 per box of jobrate (jobs arriving per second, from boxes.dev/signal.http_requests_per_second)
	//   spec.behavior.scaleUp = (default): stabilization 0s, Max of [100% per 15s, 4 boxes per 15s], tolerance 0.1
	//   spec.behavior.scaleDown = stabilizationWindowSeconds: 120: stabilization 2m0s, Max of [100% per 15s], tolerance 0.1
}
