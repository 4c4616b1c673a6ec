import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { AaaaRecord, ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface CustomDomainRecordsProps {
  distribution: IDistribution;
  domainNames: readonly string[];
  hostedZone: { id: string; name: string };
}

/** A and AAAA alias records (IPv4 and IPv6) of each custom domain name to the distribution, in an existing hosted zone. */
export class CustomDomainRecords extends Construct {
  constructor(scope: Construct, id: string, props: CustomDomainRecordsProps) {
    super(scope, id);
    const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.hostedZone.id, zoneName: props.hostedZone.name });
    const target = RecordTarget.fromAlias(new CloudFrontTarget(props.distribution));
    props.domainNames.forEach((name, i) => {
      new ARecord(this, `A${i}`, { zone, recordName: `${name}.`, target });
      new AaaaRecord(this, `Aaaa${i}`, { zone, recordName: `${name}.`, target });
    });
  }
}
