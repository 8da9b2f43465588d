/**
 * The IAM policy of the AWS Load Balancer Controller: the controller's own
 * `docs/install/iam_policy.json`, vendored byte for byte from the tag matching the pinned chart's
 * appVersion (kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json@v2.14.0 for
 * aws/eks-charts aws-load-balancer-controller 1.14.0). When the chart pin moves, vendor the policy
 * of its new appVersion (tests/stacks/aws-lbc.requirements.test.ts checks the pairing).
 * The aws-cn / aws-us-gov variants of that file hold the same statements with their partition in
 * the ARNs, so the partition is rendered in rather than vendoring three files.
 */
import type { PolicyDocument } from '../eks/irsa.ts';
import upstream from './aws-lbc-iam-policy.v2.14.0.json' with { type: 'json' };

/** The controller's policy document for `partition` (`aws`, `aws-cn`, `aws-us-gov`). */
export function awsLoadBalancerControllerPolicy(partition: string): PolicyDocument {
  return JSON.parse(JSON.stringify(upstream).replaceAll('"arn:aws:', `"arn:${partition}:`)) as PolicyDocument;
}
