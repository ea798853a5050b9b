/**
 * The bare words the EPCIS 2.0 JSON-LD context
 * (https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld) maps to
 * CBV 2.0 / GS1 Web vocabulary URIs, per field, and the prefixes it declares.
 * The event hash needs them to spell a bare word the way JSON-LD expansion
 * would; a word not listed here is not a standard term and stays as written.
 */

const words = (prefix: string, list: string) => Object.fromEntries(list.split(' ').map((w) => [w, prefix + w]));

const CBV = 'https://ref.gs1.org/cbv/';
const VOC = 'https://gs1.org/voc/';

const DISPOSITIONS = words(
  `${CBV}Disp-`,
  'active available completeness_verified completeness_inferred conformant container_closed container_open damaged destroyed dispensed disposed encoded expired in_progress in_transit inactive mismatch_instance mismatch_class mismatch_quantity needs_replacement no_pedigree_match non_conformant non_sellable_other partially_dispensed recalled reserved retail_sold returned sellable_accessible sellable_not_accessible stolen unavailable unknown',
);

/** Term tables, keyed by the field path they apply to (`list.field` for members of a list). */
export const VOCAB_TERMS: Record<string, Record<string, string>> = {
  bizStep: words(
    `${CBV}BizStep-`,
    'accepting arriving assembling collecting commissioning consigning creating_class_instance cycle_counting decommissioning departing destroying disassembling dispensing encoding entering_exiting holding inspecting installing killing loading other packing picking receiving removing repackaging repairing replacing reserving retail_selling sampling sensor_reporting shipping staging_outbound stock_taking stocking storing transporting unloading unpacking void_shipping',
  ),
  disposition: DISPOSITIONS,
  'persistentDisposition.set': DISPOSITIONS,
  'persistentDisposition.unset': DISPOSITIONS,
  'bizTransactionList.type': words(`${CBV}BTT-`, 'bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt'),
  'sourceList.type': words(`${CBV}SDT-`, 'owning_party possessing_party location'),
  'destinationList.type': words(`${CBV}SDT-`, 'owning_party possessing_party location'),
  'sensorReport.type': words(
    VOC,
    'AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Radioactivity Altitude AmountOfSubstance AmountOfSubstancePerUnitVolume Angle AngularAcceleration AngularMomentum AngularVelocity Area Capacitance Conductance Conductivity Count Density Dimensionless DoseEquivalent DoseEquivalentRate DynamicViscosity ElectricCharge ElectricCurrent ElectricCurrentDensity ElectricFieldStrength Energy Exposure Force Frequency Illuminance Inductance Irradiance KinematicViscosity Length LinearMomentum Luminance LuminousFlux LuminousIntensity MagneticFlux MagneticFluxDensity MagneticVectorPotential Mass MassConcentration MassFlowRate MassPerAreaTime MemoryCapacity MolalityOfSolute MolarEnergy MolarMass MolarVolume Power Pressure RadiantFlux RadiantIntensity RelativeHumidity Resistance Resistivity SolidAngle SpecificVolume Speed SurfaceDensity SurfaceTension Temperature Time Torque Voltage Volume VolumeFlowRate VolumeFraction VolumetricFlux Wavenumber',
  ),
  'sensorReport.exception': words(VOC, 'ALARM_CONDITION ERROR_CONDITION'),
  'sensorReport.component': words(
    `${CBV}Comp-`,
    'x y z axial_distance azimuth height spherical_radius polar_angle elevation_angle easting northing latitude longitude altitude',
  ),
  'errorDeclaration.reason': words(`${CBV}ER-`, 'did_not_occur incorrect_data'),
};

/** Prefixes the EPCIS 2.0 context itself declares; a document's own `@context` may add or override. */
export const EPCIS_PREFIXES: Record<string, string> = {
  epcis: 'https://ref.gs1.org/epcis/',
  cbv: CBV,
  cbvmda: 'urn:epcglobal:cbv:mda:',
  gs1: VOC,
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcterms: 'http://purl.org/dc/terms/',
};

/** CBV 1.x URN vocabularies and their CBV 2.0 Web URI equivalents, which the event hash uses. */
export const CBV_URNS: [string, string][] = [
  ['urn:epcglobal:cbv:bizstep:', `${CBV}BizStep-`],
  ['urn:epcglobal:cbv:disp:', `${CBV}Disp-`],
  ['urn:epcglobal:cbv:btt:', `${CBV}BTT-`],
  ['urn:epcglobal:cbv:sdt:', `${CBV}SDT-`],
  ['urn:epcglobal:cbv:er:', `${CBV}ER-`],
];
