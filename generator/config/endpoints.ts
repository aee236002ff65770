/** Endpoint URL templates: their checks (0212-0214), the defaults, and the placeholders the generator fills. */
import { error, type Issue, type Span } from "./issue.js";
import { configSchema } from "./schema.js";
import { valueOf, type StaticObject } from "./static-value.js";
import { didYouMean } from "./suggest.js";
import type { Endpoints } from "./types.js";

/** The endpoints a device asks. */
export type EndpointName = keyof Endpoints;

const endpointFields = configSchema.endpoints.type.fields;

/** Endpoint names in a stable order. */
export const endpointNames = Object.keys(endpointFields) as EndpointName[];

/** GitHub's endpoints, the schema's defaults. */
export const defaultEndpoints: Readonly<Record<EndpointName, string>> = {
  latest: endpointFields.latest.default.value,
  release: endpointFields.release.default.value,
  file: endpointFields.file.default.value,
};

/** Placeholders each endpoint must have, and may have. */
export const endpointPlaceholders: Readonly<Record<EndpointName, { required: string[]; allowed: string[] }>> = {
  latest: { required: ["asset"], allowed: ["repo", "asset"] },
  release: { required: ["tag", "asset"], allowed: ["repo", "tag", "asset"] },
  file: { required: ["tag", "path"], allowed: ["repo", "tag", "dir", "path"] },
};

/** An endpoint as the config sets it: the user's template (with its span) or the default. */
export interface EffectiveEndpoint {
  name: EndpointName;
  template: string;
  /** Where the user wrote it; absent for a default. */
  span?: Span;
}

/** The three endpoints, each the user's if given as a string, else the default. */
export function effectiveEndpoints(config: StaticObject): EffectiveEndpoint[] {
  const given = valueOf(config, "endpoints", "object");
  return endpointNames.map((name) => {
    const value = valueOf(given, name, "string");
    return value === undefined ? { name, template: defaultEndpoints[name] } : { name, template: value.value, span: value.span };
  });
}

/**
 * Whether a URL is fetched over TLS: its scheme is https, in any case (URL schemes are
 * case-insensitive). The one function that decides it on the generator's side; the device's
 * `_split_url` decides it the same way.
 */
export function usesTls(url: string): boolean {
  return /^https:\/\//i.test(url);
}

/** True for an http:// URL in any case, false for https:// (checked URLs only). */
export function isPlainHttp(template: string): boolean {
  return /^http:\/\//i.test(template);
}

/** Fills what the generator knows: {repo}, and {dir} (appPath: the app's folder in the repository). */
export function fillEndpoint(template: string, repo: string, appPath: string): string {
  return template.replaceAll("{repo}", repo).replaceAll("{dir}", appPath);
}

/** Every problem of the endpoints the user wrote. */
export function checkEndpoints(endpoints: readonly EffectiveEndpoint[]): Issue[] {
  return endpoints.flatMap((endpoint) =>
    endpoint.span === undefined ? [] : checkEndpoint(endpoint, endpoint.span),
  );
}

function checkEndpoint(endpoint: EffectiveEndpoint, span: Span): Issue[] {
  const { name, template } = endpoint;
  const label = `endpoints.${name}`;
  const example = exampleFor(name);
  if (!/^https?:\/\/[^/\s?#{}]+(?:[/?#]|$)/i.test(template)) {
    return [
      error("GEN_OTA_0212", `${label} "${template}" is not an http:// or https:// URL`, span, `e.g. "${example}"`),
    ];
  }
  const issues: Issue[] = [];
  const { required, allowed } = endpointPlaceholders[name];
  const used = [...template.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1] ?? "");
  for (const placeholder of used.filter((found) => !allowed.includes(found))) {
    const near = didYouMean(placeholder, allowed);
    const hint = `${near === undefined ? "" : `${near} `}${label} may use ${allowed.map((known) => `{${known}}`).join(", ")}`;
    issues.push(error("GEN_OTA_0214", `${label} has an unknown placeholder {${placeholder}}`, span, hint));
  }
  const missing = required.filter((placeholder) => !used.includes(placeholder));
  if (missing.length > 0) {
    const list = missing.map((placeholder) => `{${placeholder}}`).join(" and ");
    issues.push(error("GEN_OTA_0213", `${label} lacks ${list}, which the device fills in`, span, `e.g. "${example}"`));
  }
  return issues;
}

function exampleFor(name: EndpointName): string {
  const paths: Record<EndpointName, string> = {
    latest: "http://mirror.local/{repo}/latest/{asset}",
    release: "http://mirror.local/{repo}/{tag}/{asset}",
    file: "http://mirror.local/{repo}/{tag}/{dir}/{path}",
  };
  return paths[name];
}
