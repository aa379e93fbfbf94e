/**
 * What the D-Bus specification allows for a property's `access` attribute and for the
 * `org.freedesktop.DBus.Property.EmitsChangedSignal` annotation. Defined once: the model
 * (generator) and the interface descriptors (runtime) both use these types.
 */

/** The values `<property access="...">` may take. */
export const PROPERTY_ACCESS = ['read', 'write', 'readwrite'] as const;
/** A property's `access`: who may Get and Set it. */
export type PropertyAccess = (typeof PROPERTY_ACCESS)[number];

/** `org.freedesktop.DBus.Property.EmitsChangedSignal`, on a property or its interface. */
export const EMITS_CHANGED_ANNOTATION = 'org.freedesktop.DBus.Property.EmitsChangedSignal';
/** The values {@link EMITS_CHANGED_ANNOTATION} may take. */
export const EMITS_CHANGED_VALUES = ['true', 'invalidates', 'const', 'false'] as const;
/**
 * How `PropertiesChanged` reports a property: `true` with its value, `invalidates` by name
 * only, `const` never (it cannot change), `false` never (it changes silently).
 */
export type EmitsChangedSignal = (typeof EMITS_CHANGED_VALUES)[number];
