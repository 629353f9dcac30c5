/**
 * The CAP 1.2 alert message (OASIS Common Alerting Protocol) as Haven holds it.
 *
 * Dates are kept as CAP dateTime strings ("2026-11-27T03:00:00+03:00") rather than Date objects because
 * the sender's UTC offset is part of the message and must survive a parse/build round trip.
 * Free texts are held trimmed; optional texts are absent rather than empty; lists are always present.
 */

export const CAP_NAMESPACE_1_2 = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_NAMESPACE_1_1 = 'urn:oasis:names:tc:emergency:cap:1.1';

export const CAP_STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export type CapStatus = (typeof CAP_STATUSES)[number];

export const CAP_MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export type CapMsgType = (typeof CAP_MSG_TYPES)[number];

export const CAP_SCOPES = ['Public', 'Restricted', 'Private'] as const;
export type CapScope = (typeof CAP_SCOPES)[number];

export const CAP_CATEGORIES = [
  'Geo',
  'Met',
  'Safety',
  'Security',
  'Rescue',
  'Fire',
  'Health',
  'Env',
  'Transport',
  'Infra',
  'CBRNE',
  'Other',
] as const;
export type CapCategory = (typeof CAP_CATEGORIES)[number];

export const CAP_RESPONSE_TYPES = [
  'Shelter',
  'Evacuate',
  'Prepare',
  'Execute',
  'Avoid',
  'Monitor',
  'Assess',
  'AllClear',
  'None',
] as const;
export type CapResponseType = (typeof CAP_RESPONSE_TYPES)[number];

export const CAP_URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export type CapUrgency = (typeof CAP_URGENCIES)[number];

export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export type CapSeverity = (typeof CAP_SEVERITIES)[number];

export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;
export type CapCertainty = (typeof CAP_CERTAINTIES)[number];

/** xs:language, the form CAP requires of <language>. */
export const CAP_LANGUAGE_TAG = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;

/** The language CAP assumes when an info block names none. */
export const CAP_DEFAULT_LANGUAGE = 'en-US';

/** A CAP valueName/value pair (eventCode, parameter, geocode). */
export type CapValuePair = {
  readonly valueName: string;
  readonly value: string;
};

/** One earlier message this one refers to: CAP's "sender,identifier,sent" triple. */
export type CapReference = {
  readonly sender: string;
  readonly identifier: string;
  /** CAP dateTime with a numeric offset. */
  readonly sent: string;
};

/** A point in CAP's order: latitude first (WGS 84 degrees). */
export type CapPoint = {
  readonly lat: number;
  readonly lon: number;
};

/** A closed ring: at least four points, the first repeated last. */
export type CapPolygon = readonly CapPoint[];

export type CapCircle = {
  readonly center: CapPoint;
  /** CAP gives circle radii in kilometres. */
  readonly radiusKm: number;
};

export type CapArea = {
  readonly areaDesc: string;
  readonly polygon: readonly CapPolygon[];
  readonly circle: readonly CapCircle[];
  readonly geocode: readonly CapValuePair[];
  /** Feet above mean sea level, as CAP defines it; written with at most six decimals. */
  readonly altitude?: number;
  /** Feet above mean sea level; CAP allows it only together with altitude. Six decimals at most. */
  readonly ceiling?: number;
};

export type CapResource = {
  readonly resourceDesc: string;
  readonly mimeType: string;
  /** Bytes. */
  readonly size?: number;
  readonly uri?: string;
  /** Base64 content carried inside the message. */
  readonly derefUri?: string;
  /** SHA-1 hex digest of the resource. */
  readonly digest?: string;
};

export type CapInfo = {
  /** BCP 47 tag; CAP_DEFAULT_LANGUAGE when the message gave none. */
  readonly language: string;
  readonly category: readonly CapCategory[];
  readonly event: string;
  readonly responseType: readonly CapResponseType[];
  readonly urgency: CapUrgency;
  readonly severity: CapSeverity;
  readonly certainty: CapCertainty;
  readonly audience?: string;
  readonly eventCode: readonly CapValuePair[];
  readonly effective?: string;
  readonly onset?: string;
  readonly expires?: string;
  readonly senderName?: string;
  readonly headline?: string;
  readonly description?: string;
  readonly instruction?: string;
  readonly web?: string;
  readonly contact?: string;
  readonly parameter: readonly CapValuePair[];
  readonly resource: readonly CapResource[];
  readonly area: readonly CapArea[];
};

export type CapAlert = {
  /** Unique for the sender; CAP forbids spaces, commas, '<' and '&' in it. */
  readonly identifier: string;
  readonly sender: string;
  /** CAP dateTime with a numeric offset, never 'Z'. */
  readonly sent: string;
  readonly status: CapStatus;
  readonly msgType: CapMsgType;
  readonly source?: string;
  readonly scope: CapScope;
  /** Required when scope is Restricted. */
  readonly restriction?: string;
  /** Required (non-empty) when scope is Private. */
  readonly addresses: readonly string[];
  readonly code: readonly string[];
  readonly note?: string;
  readonly references: readonly CapReference[];
  readonly incidents: readonly string[];
  readonly info: readonly CapInfo[];
};
