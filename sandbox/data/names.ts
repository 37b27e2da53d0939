/** Address tables for the synthetic patients (no external data, no faker). */
export const CITIES = [
  { city: 'Springfield', state: 'IL', postalCode: '62701' },
  { city: 'Madison', state: 'WI', postalCode: '53703' },
  { city: 'Salem', state: 'OR', postalCode: '97301' },
  { city: 'Dover', state: 'DE', postalCode: '19901' },
] as const;
export const STREETS = ['Maple Ave', 'Oak St', 'Cedar Ln', 'Elm Rd', 'Birch Ct', 'Willow Way'] as const;
