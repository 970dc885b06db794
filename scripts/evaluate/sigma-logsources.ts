/**
 * What a Sigma rule's logsource needs, in ATT&CK terms: common logsource categories, products and
 * services (the Sigma taxonomy) → ATT&CK data component NAMES. Names, not ids, and resolved through
 * the pinned catalog at run time by exact name: a name the release does not have is simply not
 * used, so the table never breaks across releases and never decides what exists.
 *
 * It lets a Sigma rule's telemetry need be answered by sources' `data_components` when no inventory
 * `sigma` selector answers it (SPEC §7 gives sources either). The mapping follows the CTID sensor
 * mappings (Sysmon, Windows event log, auditd) where they apply. A data component says what kind of
 * event is collected, not from which product, so this is coarser than a selector: inventories that
 * want precision write `sigma` selectors.
 */
import { findDataComponent } from '../catalog/lookup.js';
import type { Catalog } from '../catalog/types.js';

export interface LogsourceComponents {
  /** Keys the rule's logsource must have with these values (ignoring case), as a `sigma` selector. */
  logsource: Record<string, string>;
  /** Exact ATT&CK data component names; a collected source providing one of them answers the need. */
  components: string[];
  /**
   * ATT&CK platform names (current and earlier spellings) the logsource belongs to: a source that
   * lists platforms must list one of them, so Windows Security does not answer Entra ID sign-ins.
   */
  platforms?: string[];
}

const PROCESS = ['Process Creation'];
const CLOUD_CONTROL_PLANE = [
  'Cloud Service Modification',
  'Cloud Service Enumeration',
  'Cloud Service Disable',
  'Cloud Storage Access',
  'Cloud Storage Modification',
  'Cloud Storage Enumeration',
  'Instance Creation',
  'Instance Modification',
  'Instance Deletion',
  'User Account Creation',
  'User Account Modification',
  'User Account Authentication',
];
const SIGN_IN = ['User Account Authentication', 'Logon Session Creation'];
const NETWORK_FLOW = ['Network Traffic Flow', 'Network Connection Creation'];
const NETWORK_CONTENT = ['Network Traffic Content', 'Network Traffic Flow'];
const ENTRA = ['Identity Provider', 'Azure AD'];
const M365 = ['Office Suite', 'Office 365'];

/** Every entry whose keys all match contributes its components (a union). */
export const SIGMA_LOGSOURCES: readonly LogsourceComponents[] = [
  // Endpoint categories (Sysmon, EDR, auditd/ESF equivalents), on any product.
  { logsource: { category: 'process_creation' }, components: PROCESS },
  { logsource: { category: 'process_access' }, components: ['Process Access'] },
  { logsource: { category: 'process_termination' }, components: ['Process Termination'] },
  { logsource: { category: 'process_tampering' }, components: ['Process Modification'] },
  { logsource: { category: 'create_remote_thread' }, components: ['Process Modification'] },
  { logsource: { category: 'raw_access_thread' }, components: ['Drive Access', 'File Access'] },
  { logsource: { category: 'image_load' }, components: ['Module Load'] },
  { logsource: { category: 'driver_load' }, components: ['Driver Load'] },
  { logsource: { category: 'file_event' }, components: ['File Creation'] },
  { logsource: { category: 'file_change' }, components: ['File Modification'] },
  { logsource: { category: 'file_rename' }, components: ['File Modification'] },
  { logsource: { category: 'file_delete' }, components: ['File Deletion'] },
  { logsource: { category: 'file_access' }, components: ['File Access'] },
  { logsource: { category: 'file_executable_detected' }, components: ['File Creation'] },
  { logsource: { category: 'create_stream_hash' }, components: ['File Creation'] },
  { logsource: { category: 'registry_add' }, components: ['Windows Registry Key Creation'] },
  { logsource: { category: 'registry_delete' }, components: ['Windows Registry Key Deletion'] },
  { logsource: { category: 'registry_set' }, components: ['Windows Registry Key Modification'] },
  { logsource: { category: 'registry_rename' }, components: ['Windows Registry Key Modification'] },
  { logsource: { category: 'registry_event' }, components: ['Windows Registry Key Creation', 'Windows Registry Key Deletion', 'Windows Registry Key Modification'] },
  { logsource: { category: 'network_connection' }, components: ['Network Connection Creation'] },
  { logsource: { category: 'dns_query' }, components: NETWORK_CONTENT },
  { logsource: { category: 'pipe_created' }, components: ['Named Pipe Metadata'] },
  { logsource: { category: 'wmi_event' }, components: ['WMI Creation'] },
  { logsource: { category: 'ps_script' }, components: ['Script Execution'] },
  { logsource: { category: 'ps_module' }, components: ['Command Execution', 'Script Execution'] },
  { logsource: { category: 'ps_classic_start' }, components: ['Command Execution', 'Script Execution'] },
  { logsource: { category: 'ps_classic_provider_start' }, components: ['Command Execution', 'Script Execution'] },
  { logsource: { category: 'sysmon_status' }, components: ['Host Status'] },
  { logsource: { category: 'sysmon_error' }, components: ['Host Status'] },
  { logsource: { category: 'antivirus' }, components: ['Application Log Content'] },
  { logsource: { category: 'application' }, components: ['Application Log Content'] },
  { logsource: { category: 'database' }, components: ['Application Log Content'] },
  // Network and web.
  { logsource: { category: 'firewall' }, components: NETWORK_FLOW },
  { logsource: { category: 'proxy' }, components: NETWORK_CONTENT },
  { logsource: { category: 'dns' }, components: NETWORK_CONTENT },
  { logsource: { category: 'webserver' }, components: ['Application Log Content', 'Network Traffic Content'] },
  { logsource: { product: 'zeek' }, components: NETWORK_CONTENT },
  { logsource: { product: 'cisco', service: 'aaa' }, components: ['Command Execution', 'Logon Session Creation'], platforms: ['Network Devices', 'Network'] },
  // Windows event log channels.
  {
    logsource: { product: 'windows', service: 'security' },
    components: [
      'User Account Authentication',
      'Logon Session Creation',
      'Logon Session Metadata',
      'User Account Creation',
      'User Account Modification',
      'User Account Deletion',
      'Group Modification',
      'Active Directory Credential Request',
      'Active Directory Object Access',
      'Active Directory Object Modification',
      'Network Share Access',
      'Scheduled Job Creation',
    ],
  },
  { logsource: { product: 'windows', service: 'system' }, components: ['Service Creation', 'Service Modification', 'Service Metadata'] },
  { logsource: { product: 'windows', service: 'powershell' }, components: ['Script Execution', 'Command Execution'] },
  { logsource: { product: 'windows', service: 'powershell-classic' }, components: ['Command Execution', 'Script Execution'] },
  { logsource: { product: 'windows', service: 'taskscheduler' }, components: ['Scheduled Job Creation', 'Scheduled Job Modification'] },
  { logsource: { product: 'windows', service: 'wmi' }, components: ['WMI Creation'] },
  { logsource: { product: 'windows', service: 'windefend' }, components: ['Application Log Content', 'Host Status'] },
  { logsource: { product: 'windows', service: 'application' }, components: ['Application Log Content'] },
  { logsource: { product: 'windows', service: 'msexchange-management' }, components: ['Application Log Content', 'Command Execution'] },
  { logsource: { product: 'windows', service: 'firewall-as' }, components: ['Firewall Rule Modification', 'Firewall Disable', 'Firewall Metadata'] },
  { logsource: { product: 'windows', service: 'codeintegrity-operational' }, components: ['Driver Load', 'Module Load'] },
  { logsource: { product: 'windows', service: 'ntlm' }, components: ['User Account Authentication'] },
  { logsource: { product: 'windows', service: 'terminalservices-localsessionmanager' }, components: ['Logon Session Creation'] },
  // Linux.
  {
    logsource: { product: 'linux', service: 'auditd' },
    components: ['Process Creation', 'Command Execution', 'File Creation', 'File Modification', 'File Access', 'File Deletion', 'File Metadata', 'User Account Modification', 'Kernel Module Load'],
  },
  { logsource: { product: 'linux', service: 'auth' }, components: SIGN_IN },
  { logsource: { product: 'linux', service: 'sshd' }, components: SIGN_IN },
  { logsource: { product: 'linux', service: 'sudo' }, components: ['Command Execution'] },
  { logsource: { product: 'linux', service: 'cron' }, components: ['Scheduled Job Creation', 'Scheduled Job Modification'] },
  { logsource: { product: 'linux', service: 'syslog' }, components: ['Application Log Content'] },
  { logsource: { product: 'linux', service: 'clamav' }, components: ['Application Log Content'] },
  { logsource: { product: 'linux', service: 'vsftpd' }, components: ['Application Log Content'] },
  // Cloud, identity and SaaS.
  { logsource: { product: 'aws', service: 'cloudtrail' }, components: CLOUD_CONTROL_PLANE, platforms: ['IaaS', 'AWS'] },
  { logsource: { product: 'azure', service: 'activitylogs' }, components: CLOUD_CONTROL_PLANE, platforms: ['IaaS', 'Azure'] },
  { logsource: { product: 'gcp', service: 'gcp.audit' }, components: CLOUD_CONTROL_PLANE, platforms: ['IaaS', 'GCP'] },
  { logsource: { product: 'azure', service: 'signinlogs' }, components: SIGN_IN, platforms: ENTRA },
  { logsource: { product: 'azure', service: 'riskdetection' }, components: SIGN_IN, platforms: ENTRA },
  {
    logsource: { product: 'azure', service: 'auditlogs' },
    components: ['User Account Creation', 'User Account Modification', 'User Account Deletion', 'Group Modification', 'Cloud Service Modification', 'Active Directory Object Modification'],
    platforms: ENTRA,
  },
  { logsource: { product: 'azure', service: 'pim' }, components: ['User Account Modification', 'Group Modification'], platforms: ENTRA },
  { logsource: { product: 'okta', service: 'okta' }, components: [...SIGN_IN, 'User Account Modification', 'Group Modification'], platforms: ['Identity Provider'] },
  { logsource: { product: 'onelogin', service: 'onelogin.events' }, components: [...SIGN_IN, 'User Account Modification'], platforms: ['Identity Provider'] },
  { logsource: { product: 'm365', service: 'audit' }, components: ['Application Log Content', 'Cloud Storage Access', 'User Account Modification', 'Logon Session Creation'], platforms: M365 },
  { logsource: { product: 'm365', service: 'threat_management' }, components: ['Application Log Content'], platforms: M365 },
  { logsource: { product: 'm365', service: 'exchange' }, components: ['Application Log Content'], platforms: M365 },
  { logsource: { product: 'gcp', service: 'google_workspace.admin' }, components: ['User Account Creation', 'User Account Modification', 'Cloud Service Modification', 'Application Log Content'], platforms: ['Office Suite', 'Google Workspace', 'SaaS'] },
  { logsource: { product: 'kubernetes', service: 'audit' }, components: ['Pod Creation', 'Pod Modification', 'Pod Enumeration', 'Container Creation', 'Container Start', 'Container Enumeration'], platforms: ['Containers'] },
  { logsource: { product: 'github', service: 'audit' }, components: ['Application Log Content'], platforms: ['SaaS'] },
];

/**
 * ATT&CK platforms of the Sigma products that name an operating system (for the product-agnostic
 * categories above): a Linux process source does not see Windows process creation.
 */
const PRODUCT_PLATFORMS: Record<string, string[]> = { windows: ['Windows'], linux: ['Linux'], macos: ['macOS'] };

const lower = (s: string) => s.trim().toLowerCase();

const matches = (entry: Record<string, string>, logsource: Map<string, string>) =>
  Object.entries(entry).every(([k, v]) => logsource.get(k) === v);

export interface LogsourceNeed {
  /** Data component ids of the pinned catalog, sorted; empty when the table has no answer. */
  components: string[];
  /** Platform names (lower-cased) one of which a source that lists platforms must have; empty: any. */
  platforms: string[];
}

const cache = new WeakMap<Catalog, Map<string, LogsourceNeed>>();

/** The data components (ids in this catalog) and platforms a Sigma logsource implies. */
export function logsourceNeed(catalog: Catalog, logsource: Record<string, string> | undefined): LogsourceNeed {
  const normal = new Map(Object.entries(logsource ?? {}).map(([k, v]) => [lower(k), lower(String(v))]));
  const key = JSON.stringify([...normal].sort());
  let byKey = cache.get(catalog);
  if (!byKey) cache.set(catalog, (byKey = new Map()));
  const known = byKey.get(key);
  if (known) return known;
  const entries = SIGMA_LOGSOURCES.filter((e) => matches(e.logsource, normal));
  const ids = new Set<string>();
  for (const name of new Set(entries.flatMap((e) => e.components))) {
    const dc = findDataComponent(catalog, name);
    if (dc) ids.add(dc.id);
  }
  const platforms = new Set([...(PRODUCT_PLATFORMS[normal.get('product') ?? ''] ?? []), ...entries.flatMap((e) => e.platforms ?? [])].map(lower));
  const need: LogsourceNeed = { components: [...ids].sort(), platforms: [...platforms].sort() };
  byKey.set(key, need);
  return need;
}
