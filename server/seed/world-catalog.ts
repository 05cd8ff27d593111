// The product catalogue by category. Dangerous-goods categories carry their UN entry; the
// numbers, classes and packing groups are the real ones for such goods.

export interface DangerousGoodsSpec {
  unNumber: string;
  hazardClass: string;
  packingGroup?: string;
}

export interface CategorySpec {
  name: string;
  products: string[];
  /** Price per each, USD. */
  price: [number, number];
  /** Weight per each, kg. */
  weight: [number, number];
  /** kg per m3, to derive a volume from the weight. */
  density: number;
  caseSizes: number[];
  casesPerPallet: number[];
  dg?: DangerousGoodsSpec;
  /** Relative number of SKUs. */
  share: number;
}

export const CATEGORIES: CategorySpec[] = [
  {
    name: 'Fasteners',
    products: ['Wood Screws', 'Machine Bolts', 'Hex Nuts', 'Drywall Anchors', 'Washers'],
    price: [2, 18],
    weight: [0.2, 2.5],
    density: 900,
    caseSizes: [12, 24, 48],
    casesPerPallet: [40, 60],
    share: 6,
  },
  {
    name: 'Hand Tools',
    products: [
      'Claw Hammer',
      'Screwdriver Set',
      'Adjustable Wrench',
      'Utility Knife',
      'Tape Measure',
    ],
    price: [6, 65],
    weight: [0.2, 2],
    density: 350,
    caseSizes: [6, 12],
    casesPerPallet: [30, 40],
    share: 5,
  },
  {
    name: 'Plumbing',
    products: ['PVC Elbow', 'Ball Valve', 'Faucet Cartridge', 'Supply Line', 'P-Trap'],
    price: [3, 45],
    weight: [0.1, 1.8],
    density: 300,
    caseSizes: [12, 24],
    casesPerPallet: [30, 48],
    share: 5,
  },
  {
    name: 'Electrical',
    products: [
      'Outlet Receptacle',
      'Light Switch',
      'Extension Cord',
      'LED Bulb',
      'Wire Connector Kit',
    ],
    price: [2, 40],
    weight: [0.05, 1.5],
    density: 250,
    caseSizes: [10, 25, 50],
    casesPerPallet: [40, 60],
    share: 6,
  },
  {
    name: 'Janitorial Paper',
    products: ['Paper Towel Roll', 'Toilet Tissue', 'Facial Tissue', 'Napkins'],
    price: [1, 6],
    weight: [0.2, 0.8],
    density: 120,
    caseSizes: [12, 24, 48],
    casesPerPallet: [20, 30],
    share: 4,
  },
  {
    name: 'Beverages',
    products: ['Sparkling Water', 'Cold Brew Coffee', 'Sports Drink', 'Iced Tea'],
    price: [0.8, 3.5],
    weight: [0.4, 1.2],
    density: 950,
    caseSizes: [12, 24],
    casesPerPallet: [60, 80],
    share: 5,
  },
  {
    name: 'Snacks',
    products: ['Trail Mix', 'Granola Bar', 'Pretzels', 'Rice Crackers'],
    price: [1, 5],
    weight: [0.1, 0.6],
    density: 250,
    caseSizes: [12, 24, 36],
    casesPerPallet: [40, 60],
    share: 4,
  },
  {
    name: 'Garden',
    products: ['Potting Soil', 'Garden Hose', 'Pruning Shears', 'Planter Pot', 'Lawn Seed'],
    price: [4, 55],
    weight: [0.5, 12],
    density: 500,
    caseSizes: [4, 6, 12],
    casesPerPallet: [20, 40],
    share: 5,
  },
  {
    name: 'Office',
    products: ['Copy Paper', 'Ballpoint Pens', 'Sticky Notes', 'File Folders', 'Stapler'],
    price: [1.5, 30],
    weight: [0.05, 2.5],
    density: 700,
    caseSizes: [10, 12, 24],
    casesPerPallet: [40, 50],
    share: 4,
  },
  {
    name: 'Paint',
    products: ['Enamel Paint', 'Lacquer', 'Oil-Based Primer', 'Wood Stain', 'Varnish'],
    price: [12, 60],
    weight: [1.2, 4.6],
    density: 1200,
    caseSizes: [4, 6],
    casesPerPallet: [36, 48],
    dg: { unNumber: 'UN1263', hazardClass: '3', packingGroup: 'III' },
    share: 0.8,
  },
  {
    name: 'Solvents',
    products: ['Isopropyl Alcohol', 'Denatured Alcohol'],
    price: [5, 28],
    weight: [0.5, 4],
    density: 800,
    caseSizes: [6, 12],
    casesPerPallet: [40, 48],
    dg: { unNumber: 'UN1219', hazardClass: '3', packingGroup: 'II' },
    share: 0.5,
  },
  {
    name: 'Acids',
    products: ['Drain Opener', 'Descaler', 'Concrete Etcher'],
    price: [6, 25],
    weight: [1, 4],
    density: 1300,
    caseSizes: [6, 12],
    casesPerPallet: [36, 48],
    dg: { unNumber: 'UN1760', hazardClass: '8', packingGroup: 'II' },
    share: 0.5,
  },
  {
    name: 'Bleach',
    products: ['Bleach Concentrate', 'Pool Chlorine Liquid'],
    price: [3, 15],
    weight: [1.5, 4.5],
    density: 1100,
    caseSizes: [4, 6],
    casesPerPallet: [40, 60],
    dg: { unNumber: 'UN1791', hazardClass: '8', packingGroup: 'III' },
    share: 0.5,
  },
  {
    name: 'Aerosols',
    products: ['Spray Lubricant', 'Spray Paint', 'Air Freshener', 'Wasp Spray'],
    price: [4, 14],
    weight: [0.3, 0.6],
    density: 500,
    caseSizes: [6, 12],
    casesPerPallet: [60, 80],
    dg: { unNumber: 'UN1950', hazardClass: '2.1' },
    share: 0.6,
  },
  {
    name: 'Camping Fuel',
    products: ['Propane Cylinder', 'Butane Canister'],
    price: [5, 12],
    weight: [0.4, 1],
    density: 400,
    caseSizes: [6, 12],
    casesPerPallet: [50, 70],
    dg: { unNumber: 'UN1978', hazardClass: '2.1' },
    share: 0.5,
  },
  {
    name: 'Batteries',
    products: ['Power Tool Battery', 'Lithium Battery Pack'],
    price: [35, 140],
    weight: [0.4, 1.3],
    density: 1500,
    caseSizes: [4, 6],
    casesPerPallet: [60, 100],
    dg: { unNumber: 'UN3480', hazardClass: '9', packingGroup: 'II' },
    share: 0.5,
  },
];

export const SIZES = [
  'Small',
  'Medium',
  'Large',
  'XL',
  '1 qt',
  '1 gal',
  '5 gal',
  '12 pk',
  '3 pk',
  'Pro',
] as const;

/** Every hazard class the catalogue holds, which a fully certified vehicle may carry. */
export const ALL_DG_CLASSES = ['2.1', '3', '8', '9'];
