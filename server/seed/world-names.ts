// Word lists for people, companies and streets. Combined by the seeded generator, so that the
// same seed always names the same people.

export const FIRST_NAMES = [
  'Maria', 'James', 'Aisha', 'Wei', 'Carlos', 'Priya', 'Daniel', 'Fatima', 'Kevin', 'Sofia',
  'Marcus', 'Elena', 'Tyrone', 'Mei', 'Jorge', 'Hannah', 'Omar', 'Grace', 'Luis', 'Nadia',
  'Andre', 'Keiko', 'Samuel', 'Rosa', 'Dmitri', 'Leah', 'Hector', 'Chloe', 'Raj', 'Ivy',
  'Malik', 'Ana', 'Trevor', 'Yuki', 'Diego', 'Naomi', 'Victor', 'Amara', 'Colin', 'Lucia',
] as const;

export const LAST_NAMES = [
  'Lopez', 'Nguyen', 'Patel', 'Johnson', 'Kim', 'Garcia', 'Okafor', 'Chen', 'Rossi', 'Murphy',
  'Silva', 'Brown', 'Haddad', 'Kowalski', 'Tanaka', 'Reyes', 'Schmidt', 'Washington', 'Ali',
  'Novak', 'Ortiz', 'Singh', 'Dubois', 'Moreno', 'Jensen', 'Park', 'Hughes', 'Flores', 'Cohen',
  'Adeyemi', 'Ward', 'Castillo', 'Iyer', 'Foster', 'Lindqvist', 'Mendes', 'Baker', 'Sato',
] as const;

export const COMPANY_PREFIXES = [
  'Pacific', 'Summit', 'Harbor', 'Prairie', 'Lakeside', 'Granite', 'Cedar', 'Keystone',
  'Beacon', 'Northstar', 'Golden State', 'Empire', 'Liberty', 'Frontier', 'Coastal',
  'Evergreen', 'Union', 'Ironwood', 'Bluebird', 'Riverbend', 'Metro', 'Sunrise', 'Canyon',
  'Hudson', 'Front Range', 'Great Plains', 'Bayview', 'Maple Leaf', 'Sierra', 'Atlas',
] as const;

export const COMPANY_TRADES = [
  'Hardware', 'Foods', 'Home Supply', 'Outdoor', 'Pharmacy', 'Building Supply', 'Grocers',
  'Auto Parts', 'Office Supply', 'Paint & Coatings', 'Pool & Spa', 'Janitorial', 'Garden Center',
  'Marine Supply', 'Convenience', 'Facilities',
] as const;

export const COMPANY_SUFFIXES = ['Co.', 'Inc.', 'LLC', 'Stores', 'Group', 'Supply Co.'] as const;

export const STREETS = [
  'Main St', 'Commerce Way', 'Industrial Pkwy', 'Market St', 'Broadway', 'Oak Ave', 'Harbor Blvd',
  'Center St', 'Park Ave', 'Lincoln Way', 'Distribution Dr', 'Elm St', 'Railroad Ave',
  'Warehouse Rd', 'Mill St', 'Lake Shore Dr', 'Airport Rd', 'Riverside Dr',
] as const;

export const LOCATION_KINDS = ['Store', 'Warehouse', 'Branch', 'Depot', 'Outlet'] as const;
