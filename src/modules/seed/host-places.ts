/**
 * Where migrant workers live in the host countries of the demo population, and how they live there.
 * Weights are relative within a country and describe where workers cluster (the big cities and their
 * labour districts), not city sizes. Coordinates are city or district centres (GeoNames), nudged where
 * Natural Earth's 1:10m coast puts the centre in the sea (reclaimed land in Hong Kong; Muharraq island
 * is missing, so Bahrain's places are on the main island); `spreadKm` is the standard deviation of the
 * scatter around the centre. District names only colour the synthetic address text.
 */
export type Place = {
  name: string;
  city: string;
  lat: number;
  lon: number;
  weight: number;
  spreadKm: number;
  districts: readonly string[];
};

/** Mobile numbers of a country: calling code and the national prefixes in use, with their length. */
export type PhonePlan = { callingCode: string; ranges: readonly { prefix: string; length: number }[] };

export type HostProfile = {
  country: string;
  /** The place where an origin state's embassy sits (a consulate general for Hong Kong). */
  capital: string;
  places: readonly Place[];
  /** Share of people placed in other towns of the country (GeoNames), away from the listed places. */
  townShare: number;
  /** How people live: alone (live-in domestic work, care), in groups (employer accommodation), in families. */
  units: { single: number; group: number; family: number };
  /** Share of women among people living alone and among groups: domestic work skews female, construction male. */
  femaleShare: { single: number; group: number };
  /** Share of workers whose employer or sponsor holds their passport (common under sponsorship systems). */
  passportHeldRate: number;
  /** Multiplies the base rates of trafficking and violence survivors (higher where domestic work is unregulated). */
  abuseRiskFactor: number;
  mobile: PhonePlan;
  /** The host language some migrants speak, and how many. */
  hostLanguage?: { tag: string; share: number };
  sectors: { construction: number; agency: number; services: number };
  employerNames: readonly string[];
};

const ranges = (length: number, ...prefixes: string[]) => prefixes.map((prefix) => ({ prefix, length }));
const place = (
  name: string,
  lat: number,
  lon: number,
  weight: number,
  spreadKm: number,
  districts: string[],
  city = name,
): Place => ({ name, city, lat, lon, weight, spreadKm, districts });

const GULF_NAMES = [
  'Al Nakheel',
  'Al Waha',
  'Rawabi',
  'Al Fursan',
  'Qimam',
  'Al Bayan',
  'Dar Al Salam',
  'Al Marjan',
  'Najmat Al Sharq',
  'Al Safwa',
  'Sahm',
  'Al Mawarid',
  'Burj Al Amal',
  'Al Hikma',
  'Zahrat Al Khaleej',
  'Al Yasmin',
  'Nujoom',
  'Al Durra',
];

export const HOST_PROFILES: Readonly<Record<string, HostProfile>> = {
  SA: {
    country: 'SA',
    capital: 'Riyadh',
    places: [
      place('Riyadh', 24.6877, 46.7219, 38, 8, [
        'Al Olaya',
        'Al Malaz',
        'Al Batha',
        'Al Naseem',
        'Al Sulay',
        'Al Aziziyah',
        'Al Murabba',
        'Al Rawdah',
        'Al Shifa',
        'Al Nakheel',
      ]),
      place('Jeddah', 21.4901, 39.1862, 26, 7, [
        'Al Balad',
        'Al Rawdah',
        'Al Safa',
        'Al Hamra',
        'Al Sharafiyah',
        'Al Aziziyah',
        'Al Nahdah',
        'Al Salamah',
        'Al Rehab',
      ]),
      place('Dammam', 26.4344, 50.1033, 9, 5, [
        'Al Faisaliyah',
        'Al Adamah',
        'Al Shati',
        'Al Khaleej',
        'Al Dawasir',
      ]),
      place('Al Khobar', 26.2794, 50.2083, 6, 3, [
        'Al Thuqbah',
        'Al Aqrabiyah',
        'Al Rakah',
        'Al Khobar Al Shamalia',
      ]),
      place('Mecca', 21.4266, 39.8256, 3, 4, ['Al Aziziyah', 'Al Shisha', 'Al Awali', 'Al Zahir']),
      place('Medina', 24.4686, 39.6142, 3, 4, ['Quba', 'Al Aziziyah', 'Al Iskan', 'Al Khalidiyah']),
      place('Jubail', 27.0046, 49.646, 3, 4, ['Jubail Industrial City', 'Al Fanateer', 'Al Deffi']),
      place('Taif', 21.2703, 40.4158, 3, 4, ['Al Shuhada', 'Al Hawiyah', 'Al Qumariyah']),
    ],
    townShare: 0.06,
    units: { single: 0.6, group: 0.32, family: 0.08 },
    femaleShare: { single: 0.55, group: 0.3 },
    passportHeldRate: 0.22,
    abuseRiskFactor: 2.5,
    mobile: { callingCode: '966', ranges: ranges(9, '50', '53', '54', '55', '56', '58', '59') },
    hostLanguage: { tag: 'ar', share: 0.25 },
    sectors: { construction: 0.45, agency: 0.3, services: 0.25 },
    employerNames: GULF_NAMES,
  },
  AE: {
    country: 'AE',
    capital: 'Abu Dhabi',
    places: [
      place('Dubai', 25.2048, 55.2708, 45, 9, [
        'Deira',
        'Bur Dubai',
        'Al Karama',
        'Al Barsha',
        'Jumeirah',
        'Al Quoz',
        'Satwa',
        'International City',
        'Al Nahda',
        'Al Qusais',
      ]),
      place('Abu Dhabi', 24.4512, 54.397, 22, 7, [
        'Al Khalidiyah',
        'Al Mushrif',
        'Mussafah',
        'Khalifa City',
        'Al Reem Island',
        'Tourist Club Area',
        'Al Nahyan',
      ]),
      place('Sharjah', 25.3342, 55.4122, 18, 5, [
        'Al Nahda',
        'Al Majaz',
        'Al Qasimia',
        'Rolla',
        'Al Taawun',
        'Muwaileh',
        'Industrial Area',
      ]),
      place('Ajman', 25.4018, 55.4788, 7, 3, ['Al Nuaimiya', 'Al Rashidiya', 'Al Jurf']),
      place('Al Ain', 24.1917, 55.7606, 6, 5, ['Al Jimi', 'Al Mutawaa', 'Al Towayya', 'Al Muwaiji']),
      place('Ras Al Khaimah', 25.7895, 55.9432, 2, 4, ['Al Nakheel', 'Al Dhait', 'Al Hamra']),
    ],
    townShare: 0.03,
    units: { single: 0.6, group: 0.28, family: 0.12 },
    femaleShare: { single: 0.6, group: 0.3 },
    passportHeldRate: 0.08,
    abuseRiskFactor: 1.5,
    mobile: { callingCode: '971', ranges: ranges(9, '50', '52', '54', '55', '56', '58') },
    hostLanguage: { tag: 'ar', share: 0.2 },
    sectors: { construction: 0.3, agency: 0.25, services: 0.45 },
    employerNames: GULF_NAMES,
  },
  QA: {
    country: 'QA',
    capital: 'Doha',
    places: [
      place('Doha', 25.2854, 51.531, 60, 5, [
        'Al Sadd',
        'Musheireb',
        'Al Mansoura',
        'Najma',
        'Bin Mahmoud',
        'West Bay',
        'Al Hilal',
        'Fereej Bin Omran',
        'Abu Hamour',
      ]),
      place('Al Rayyan', 25.2919, 51.4244, 25, 5, [
        'Muaither',
        'Al Gharrafa',
        'Industrial Area',
        'Aziziya',
        'Al Waab',
      ]),
      place('Al Wakrah', 25.1715, 51.6034, 10, 3, ['Al Wakrah', 'Al Wukair', 'Mesaieed Road']),
      place('Al Khor', 25.6839, 51.5058, 5, 3, ['Al Khor', 'Al Thakhira']),
    ],
    townShare: 0.03,
    units: { single: 0.58, group: 0.36, family: 0.06 },
    femaleShare: { single: 0.45, group: 0.15 },
    passportHeldRate: 0.15,
    abuseRiskFactor: 1.5,
    mobile: { callingCode: '974', ranges: ranges(8, '33', '55', '66', '50', '70', '77') },
    hostLanguage: { tag: 'ar', share: 0.15 },
    sectors: { construction: 0.5, agency: 0.2, services: 0.3 },
    employerNames: GULF_NAMES,
  },
  KW: {
    country: 'KW',
    capital: 'Kuwait City',
    places: [
      place('Kuwait City', 29.367, 47.9743, 25, 3, ['Sharq', 'Qibla', 'Mirqab', 'Dasman', 'Bneid Al Gar']),
      place('Hawalli', 29.3328, 48.0286, 25, 2.5, [
        'Hawalli',
        'Salmiya',
        'Jabriya',
        'Rumaithiya',
        'Maidan Hawalli',
      ]),
      place('Farwaniya', 29.2775, 47.9586, 30, 3, [
        'Khaitan',
        'Jleeb Al Shuyoukh',
        'Abbasiya',
        'Farwaniya',
        'Ardiya',
      ]),
      place('Jahra', 29.3375, 47.6581, 8, 3, ['Jahra', 'Al Naeem', 'Al Qasr']),
      place('Ahmadi', 29.0769, 48.0839, 12, 4, ['Mahboula', 'Fahaheel', 'Mangaf', 'Abu Halifa']),
    ],
    townShare: 0.02,
    units: { single: 0.8, group: 0.14, family: 0.06 },
    femaleShare: { single: 0.8, group: 0.35 },
    passportHeldRate: 0.3,
    abuseRiskFactor: 3,
    mobile: { callingCode: '965', ranges: ranges(8, '50', '55', '66', '90', '94', '96', '97', '99') },
    hostLanguage: { tag: 'ar', share: 0.25 },
    sectors: { construction: 0.25, agency: 0.5, services: 0.25 },
    employerNames: GULF_NAMES,
  },
  LB: {
    country: 'LB',
    capital: 'Beirut',
    places: [
      place('Beirut', 33.8933, 35.5016, 55, 3, [
        'Achrafieh',
        'Hamra',
        'Bourj Hammoud',
        'Dora',
        'Mar Mikhael',
        'Verdun',
        'Badaro',
        'Ras Beirut',
      ]),
      place('Jounieh', 33.9808, 35.6178, 15, 2, ['Kaslik', 'Zouk Mosbeh', 'Haret Sakher', 'Sarba']),
      place('Tripoli', 34.4335, 35.8442, 12, 2.5, ['Al Mina', 'Abu Samra', 'Al Tall', 'Al Qobbeh']),
      place('Sidon', 33.5575, 35.3715, 10, 2, ['Old Sidon', 'Haret Saida', 'Abra']),
      place('Zahlé', 33.8468, 35.902, 5, 2, ['Maalaka', 'Hay al-Midan', 'Ksara']),
    ],
    townShare: 0.04,
    units: { single: 0.88, group: 0.05, family: 0.07 },
    femaleShare: { single: 0.92, group: 0.8 },
    passportHeldRate: 0.45,
    abuseRiskFactor: 4,
    mobile: { callingCode: '961', ranges: [...ranges(7, '3'), ...ranges(8, '70', '71', '81')] },
    hostLanguage: { tag: 'ar', share: 0.5 },
    sectors: { construction: 0.1, agency: 0.7, services: 0.2 },
    employerNames: [
      'Cedars',
      'Byblos',
      'Phoenicia',
      'Mount Lebanon',
      'Al Arz',
      'Qadisha',
      'Litani',
      'Sannine',
    ],
  },
  IL: {
    country: 'IL',
    capital: 'Tel Aviv',
    places: [
      place('Tel Aviv', 32.0809, 34.7806, 40, 3, [
        "Neve Sha'anan",
        'Florentin',
        'Jaffa',
        'Ramat Aviv',
        'Lev HaIr',
        'HaTikva',
      ]),
      place('Jerusalem', 31.778, 35.205, 12, 2.5, [
        'Rehavia',
        'Talpiot',
        'Katamon',
        'Baka',
        'Kiryat HaYovel',
      ]),
      place('Haifa', 32.794, 34.9896, 14, 3, ['Hadar HaCarmel', 'Carmel', 'Bat Galim', 'Kiryat Eliezer']),
      place('Netanya', 32.3329, 34.8592, 10, 2, ['Kiryat Nordau', 'Ir Yamim', 'Old North']),
      place('Herzliya', 32.1663, 34.8254, 8, 2, ['Herzliya Pituah', 'Neve Amal', 'Nof Yam']),
      place('Ramat Gan', 32.0823, 34.8107, 10, 2, ['Tel Binyamin', 'Kiryat Krinitzi', 'Diamond Exchange']),
      place('Petah Tikva', 32.0888, 34.8867, 6, 2, ['Kiryat Matalon', 'Em HaMoshavot']),
    ],
    townShare: 0.05,
    units: { single: 0.88, group: 0.04, family: 0.08 },
    femaleShare: { single: 0.85, group: 0.5 },
    passportHeldRate: 0.01,
    abuseRiskFactor: 1,
    mobile: { callingCode: '972', ranges: ranges(9, '50', '52', '53', '54') },
    hostLanguage: { tag: 'he', share: 0.25 },
    sectors: { construction: 0.05, agency: 0.6, services: 0.35 },
    employerNames: ['Carmel', 'Galil', 'Sharon', 'Negev', 'Yarden', 'Arava', 'Hermon', 'Kinneret'],
  },
  HK: {
    country: 'HK',
    capital: 'Hong Kong',
    places: [
      place(
        'Central and Western',
        22.281,
        114.1565,
        10,
        1,
        ['Central', 'Sheung Wan', 'Mid-Levels', 'Kennedy Town', 'Sai Ying Pun'],
        'Hong Kong',
      ),
      place(
        'Wan Chai',
        22.279,
        114.18,
        10,
        1,
        ['Wan Chai', 'Causeway Bay', 'Happy Valley', 'Tai Hang'],
        'Hong Kong',
      ),
      place(
        'Eastern',
        22.289,
        114.198,
        6,
        1.2,
        ['North Point', 'Quarry Bay', 'Tai Koo', 'Chai Wan'],
        'Hong Kong',
      ),
      place('Southern', 22.248, 114.1529, 3, 1, ['Aberdeen', 'Pok Fu Lam', 'Ap Lei Chau'], 'Hong Kong'),
      place(
        'Yau Tsim Mong',
        22.3194,
        114.1714,
        16,
        1.2,
        ['Mong Kok', 'Yau Ma Tei', 'Tsim Sha Tsui', 'Jordan', 'Sham Shui Po'],
        'Hong Kong',
      ),
      place(
        'Kowloon City',
        22.3305,
        114.1922,
        8,
        1.2,
        ['Kowloon Tong', 'To Kwa Wan', 'Ho Man Tin', 'Kowloon City'],
        'Hong Kong',
      ),
      place('Kwun Tong', 22.313, 114.225, 6, 1.2, ['Kwun Tong', 'Ngau Tau Kok', 'Lam Tin'], 'Hong Kong'),
      place(
        'Sha Tin',
        22.3833,
        114.1833,
        10,
        1.5,
        ['Sha Tin', 'Tai Wai', 'Fo Tan', 'Ma On Shan'],
        'Hong Kong',
      ),
      place('Tsuen Wan', 22.3714, 114.1133, 8, 1.2, ['Tsuen Wan', 'Kwai Chung', 'Tsing Yi'], 'Hong Kong'),
      place('Tuen Mun', 22.3918, 113.9716, 6, 1.2, ['Tuen Mun', 'Siu Hong'], 'Hong Kong'),
      place('Yuen Long', 22.4452, 114.0262, 5, 1.5, ['Yuen Long', 'Tin Shui Wai'], 'Hong Kong'),
      place('Tai Po', 22.4501, 114.1688, 4, 1.2, ['Tai Po', 'Tai Wo'], 'Hong Kong'),
      place('Sai Kung', 22.321, 114.26, 4, 1, ['Tseung Kwan O', 'Hang Hau', 'Po Lam'], 'Hong Kong'),
    ],
    townShare: 0,
    units: { single: 0.92, group: 0.03, family: 0.05 },
    femaleShare: { single: 0.97, group: 0.9 },
    passportHeldRate: 0.04,
    abuseRiskFactor: 1.5,
    mobile: { callingCode: '852', ranges: ranges(8, '61', '63', '64', '65', '69', '94', '96', '97') },
    hostLanguage: { tag: 'yue', share: 0.15 },
    sectors: { construction: 0.02, agency: 0.85, services: 0.13 },
    employerNames: [
      'Harbour',
      'Victoria Peak',
      'Lion Rock',
      'Golden Bauhinia',
      'Pearl Delta',
      'Kowloon Star',
      'Jade Garden',
      'Tai Mo Shan',
    ],
  },
  IT: {
    country: 'IT',
    capital: 'Rome',
    places: [
      place('Rome', 41.8919, 12.5113, 28, 6, [
        'Esquilino',
        'Prati',
        'Monteverde',
        'Parioli',
        'Tuscolano',
        'Centocelle',
        'Torpignattara',
        'EUR',
      ]),
      place('Milan', 45.4643, 9.1895, 35, 5, [
        'Loreto',
        'Porta Venezia',
        'Città Studi',
        'Navigli',
        'Isola',
        'Lambrate',
        'Bicocca',
        'Viale Monza',
      ]),
      place('Naples', 40.8522, 14.2681, 5, 3, ['Vomero', 'Chiaia', 'Fuorigrotta', 'Posillipo']),
      place('Turin', 45.0705, 7.6868, 6, 3, ['San Salvario', 'Aurora', 'Crocetta', 'Barriera di Milano']),
      place('Florence', 43.7793, 11.2463, 6, 2.5, ['Campo di Marte', 'Rifredi', 'Novoli', 'Gavinana']),
      place('Bologna', 44.4938, 11.3388, 5, 2.5, ['Navile', 'San Donato', 'Bolognina', 'Santo Stefano']),
    ],
    townShare: 0.1,
    units: { single: 0.35, group: 0.05, family: 0.6 },
    femaleShare: { single: 0.7, group: 0.5 },
    passportHeldRate: 0.005,
    abuseRiskFactor: 0.5,
    mobile: {
      callingCode: '39',
      ranges: ranges(10, '320', '328', '333', '338', '347', '348', '349', '351', '366', '380', '389', '392'),
    },
    hostLanguage: { tag: 'it', share: 0.7 },
    sectors: { construction: 0.1, agency: 0.4, services: 0.5 },
    employerNames: ['Colosseo', 'Arno', 'Lombarda', 'Vesuvio', 'Dolomiti', 'Tevere', 'Gran Sasso', 'Laguna'],
  },
  SG: {
    country: 'SG',
    capital: 'Singapore',
    places: [
      place('Orchard', 1.3048, 103.8318, 12, 1.2, ['Orchard', 'Tanglin', 'River Valley'], 'Singapore'),
      place('Toa Payoh', 1.3361, 103.85, 8, 1, ['Toa Payoh', 'Bishan', 'Novena'], 'Singapore'),
      place('Ang Mo Kio', 1.3803, 103.8397, 8, 1.2, ['Ang Mo Kio', 'Yio Chu Kang'], 'Singapore'),
      place('Jurong', 1.3342, 103.7228, 10, 2, ['Jurong West', 'Jurong East', 'Boon Lay'], 'Singapore'),
      place('Woodlands', 1.438, 103.7888, 8, 1.5, ['Woodlands', 'Marsiling'], 'Singapore'),
      place('Tampines', 1.3492, 103.9497, 10, 1.5, ['Tampines', 'Pasir Ris', 'Simei'], 'Singapore'),
      place(
        'Bukit Timah',
        1.328,
        103.791,
        10,
        1.5,
        ['Bukit Timah', 'Holland Village', 'Clementi'],
        'Singapore',
      ),
      place('Sengkang', 1.3917, 103.8944, 8, 1.2, ['Sengkang', 'Punggol', 'Hougang'], 'Singapore'),
      place('Bedok', 1.3264, 103.93, 8, 1.2, ['Bedok', 'Marine Parade', 'Kembangan'], 'Singapore'),
      place('Geylang', 1.3195, 103.8869, 6, 1, ['Geylang', 'Aljunied', 'Paya Lebar'], 'Singapore'),
    ],
    townShare: 0,
    units: { single: 0.78, group: 0.12, family: 0.1 },
    femaleShare: { single: 0.75, group: 0.3 },
    passportHeldRate: 0.02,
    abuseRiskFactor: 1,
    mobile: {
      callingCode: '65',
      ranges: ranges(
        8,
        '81',
        '82',
        '83',
        '84',
        '85',
        '86',
        '87',
        '88',
        '90',
        '91',
        '92',
        '93',
        '94',
        '96',
        '97',
        '98',
      ),
    },
    sectors: { construction: 0.15, agency: 0.55, services: 0.3 },
    employerNames: ['Merlion', 'Lion City', 'Marina', 'Straits', 'Orchid', 'Kallang', 'Sentosa', 'Changi'],
  },
  TW: {
    country: 'TW',
    capital: 'Taipei',
    places: [
      place('Taipei', 25.0531, 121.5264, 18, 3, ['Zhongshan', "Da'an", 'Wanhua', 'Xinyi', 'Neihu', 'Shilin']),
      place('New Taipei', 25.0143, 121.4672, 16, 4, [
        'Banqiao',
        'Xinzhuang',
        'Sanchong',
        'Zhonghe',
        'Tucheng',
      ]),
      place('Taoyuan', 24.9937, 121.297, 24, 6, ['Zhongli', 'Taoyuan', 'Guishan', 'Bade', 'Luzhu']),
      place('Hsinchu', 24.8036, 120.9686, 10, 4, ['Hsinchu Science Park', 'East District', 'Zhubei']),
      place('Taichung', 24.1469, 120.6839, 12, 5, ['Xitun', 'Beitun', 'Taiping', 'Dali']),
      place('Kaohsiung', 22.6163, 120.3133, 10, 5, ['Qianzhen', 'Xiaogang', 'Fengshan', 'Nanzi']),
      place('Tainan', 22.9908, 120.2133, 5, 4, ['Anping', 'East District', 'Rende']),
    ],
    townShare: 0.05,
    units: { single: 0.45, group: 0.5, family: 0.05 },
    femaleShare: { single: 0.55, group: 0.4 },
    passportHeldRate: 0.03,
    abuseRiskFactor: 1,
    mobile: { callingCode: '886', ranges: ranges(9, '90', '91', '92', '93', '95', '97', '98') },
    hostLanguage: { tag: 'zh-Hant', share: 0.2 },
    sectors: { construction: 0.6, agency: 0.3, services: 0.1 },
    employerNames: [
      'Jade Mountain',
      'Sun Moon Lake',
      'Taroko',
      'Alishan',
      'Tamsui',
      'Yangmingshan',
      'Keelung Harbour',
    ],
  },
  JO: {
    country: 'JO',
    capital: 'Amman',
    places: [
      place('Amman', 31.9552, 35.945, 75, 5, [
        'Abdoun',
        'Jabal Amman',
        'Shmeisani',
        'Sweifieh',
        'Khalda',
        'Marka',
        'Jabal al-Hussein',
        "Tla' al-Ali",
      ]),
      place('Zarqa', 32.0728, 36.088, 12, 3, ['Zarqa', 'Russeifa', 'Hashemiya']),
      place('Irbid', 32.5556, 35.85, 8, 3, ['Irbid', 'Al Husn']),
      place('Aqaba', 29.5267, 35.0078, 5, 2, ['Aqaba', 'Al Shallaleh']),
    ],
    townShare: 0.03,
    units: { single: 0.85, group: 0.05, family: 0.1 },
    femaleShare: { single: 0.85, group: 0.5 },
    passportHeldRate: 0.3,
    abuseRiskFactor: 2.5,
    mobile: { callingCode: '962', ranges: ranges(9, '77', '78', '79') },
    hostLanguage: { tag: 'ar', share: 0.35 },
    sectors: { construction: 0.1, agency: 0.6, services: 0.3 },
    employerNames: ['Petra', 'Amman Gate', 'Al Balqa', 'Wadi Rum', 'Jerash', 'Ajloun'],
  },
  OM: {
    country: 'OM',
    capital: 'Muscat',
    places: [
      place('Muscat', 23.5841, 58.4078, 25, 4, ['Al Khuwair', 'Qurum', 'Al Ghubrah', 'Bawshar']),
      place('Ruwi', 23.595, 58.54, 15, 2.5, ['Ruwi', 'Muttrah', 'Wadi Kabir', 'Darsait'], 'Muscat'),
      place('Seeb', 23.6703, 58.1891, 15, 4, ['Seeb', 'Al Mabela', 'Al Hail'], 'Muscat'),
      place('Sohar', 24.3474, 56.7094, 10, 4, ['Sohar', 'Falaj Al Qabail']),
      place('Salalah', 17.015, 54.0924, 8, 4, ['Salalah', 'Al Dahariz', 'Al Saada']),
      place('Nizwa', 22.9333, 57.5333, 4, 3, ['Nizwa', 'Firq']),
    ],
    townShare: 0.04,
    units: { single: 0.68, group: 0.26, family: 0.06 },
    femaleShare: { single: 0.65, group: 0.25 },
    passportHeldRate: 0.2,
    abuseRiskFactor: 2,
    mobile: { callingCode: '968', ranges: ranges(8, '72', '79', '91', '92', '95', '99') },
    hostLanguage: { tag: 'ar', share: 0.2 },
    sectors: { construction: 0.35, agency: 0.4, services: 0.25 },
    employerNames: GULF_NAMES,
  },
  BH: {
    country: 'BH',
    capital: 'Manama',
    places: [
      place('Manama', 26.2279, 50.5857, 50, 2.5, [
        'Gudaibiya',
        'Adliya',
        'Juffair',
        'Hoora',
        'Manama Souq',
        'Seef',
      ]),
      place('Jidhafs', 26.218, 50.547, 10, 1.5, ['Jidhafs', 'Sanabis', 'Daih']),
      place('Sitra', 26.1547, 50.6206, 5, 1.5, ['Sitra', 'Nuwaidrat']),
      place('Riffa', 26.13, 50.555, 15, 2.5, ['East Riffa', 'West Riffa', 'Bukuwara']),
      place('Isa Town', 26.1736, 50.5478, 10, 1.5, ['Isa Town', 'Tubli']),
      place('Hamad Town', 26.1153, 50.5069, 8, 2, ['Hamad Town', 'Dar Kulaib']),
    ],
    townShare: 0,
    units: { single: 0.68, group: 0.22, family: 0.1 },
    femaleShare: { single: 0.6, group: 0.25 },
    passportHeldRate: 0.12,
    abuseRiskFactor: 1.5,
    mobile: { callingCode: '973', ranges: ranges(8, '32', '33', '34', '35', '36', '37', '39') },
    hostLanguage: { tag: 'ar', share: 0.2 },
    sectors: { construction: 0.35, agency: 0.35, services: 0.3 },
    employerNames: GULF_NAMES,
  },
};

/** The demo profile of a host country, or undefined when the demo does not place people there. */
export const hostProfile = (country: string): HostProfile | undefined => HOST_PROFILES[country];

/** The mean number of people in one unit (person alone, group or family) in a host country. */
export function meanUnitSize(host: HostProfile): number {
  return host.units.single + host.units.group * MEAN_GROUP_SIZE + host.units.family * MEAN_FAMILY_SIZE;
}

/** Group sizes (co-workers sharing employer accommodation), 2 to 6, equally likely. */
export const GROUP_SIZES = [2, 3, 4, 5, 6] as const;
/** Family sizes and their relative frequencies. */
export const FAMILY_SIZES = [
  { size: 2, weight: 0.3 },
  { size: 3, weight: 0.3 },
  { size: 4, weight: 0.25 },
  { size: 5, weight: 0.1 },
  { size: 6, weight: 0.05 },
] as const;
const MEAN_GROUP_SIZE = GROUP_SIZES.reduce((s, n) => s + n, 0) / GROUP_SIZES.length;
const MEAN_FAMILY_SIZE =
  FAMILY_SIZES.reduce((s, f) => s + f.size * f.weight, 0) / FAMILY_SIZES.reduce((s, f) => s + f.weight, 0);

/**
 * Fixed-line numbering of the cities where the demo opens posts: the national prefix of the city's
 * area code and the length of the national number, so a post's switchboard number is a valid one.
 */
export const CITY_LANDLINES: Readonly<
  Record<string, { callingCode: string; prefix: string; length: number }>
> = {
  Riyadh: { callingCode: '966', prefix: '11', length: 9 },
  Jeddah: { callingCode: '966', prefix: '12', length: 9 },
  'Abu Dhabi': { callingCode: '971', prefix: '2', length: 8 },
  Dubai: { callingCode: '971', prefix: '4', length: 8 },
  'Kuwait City': { callingCode: '965', prefix: '22', length: 8 },
  Doha: { callingCode: '974', prefix: '44', length: 8 },
  Beirut: { callingCode: '961', prefix: '1', length: 7 },
  'Tel Aviv': { callingCode: '972', prefix: '3', length: 8 },
  'Hong Kong': { callingCode: '852', prefix: '2', length: 8 },
  Rome: { callingCode: '39', prefix: '06', length: 10 },
  Milan: { callingCode: '39', prefix: '02', length: 10 },
  Singapore: { callingCode: '65', prefix: '6', length: 8 },
  Taipei: { callingCode: '886', prefix: '2', length: 9 },
  Amman: { callingCode: '962', prefix: '6', length: 8 },
  Muscat: { callingCode: '968', prefix: '24', length: 8 },
  Manama: { callingCode: '973', prefix: '17', length: 8 },
};
