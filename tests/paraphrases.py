"""Claims and the same claims worded differently, as two desks would write them: what similar claims must find.

Written for Claimdesk: half on the seed articles' subjects (Russia and the Philippines), half on what a newsroom
checks every week. Each paraphrase keeps the claim's meaning and changes its words as reporters do: synonyms,
another order, figures spelled another way, the claimant named or left out. Used by tests/test_similarity.py,
which reports how many are found.
"""

PAIRS = [
    (
        "Russia has not had any foreign direct investment in the Philippines since 1999",
        "No Russian FDI has gone to the Philippines for more than two decades",
    ),
    (
        "Russia accounted for $43 million in overseas remittances, 0.2 percent of the $26.9 billion total",
        "Filipinos in Russia sent home $43m, just 0.2% of all remittances",
    ),
    (
        "Russia is ready to sell arms to the Philippines",
        "Moscow is willing to supply weapons to Manila",
    ),
    (
        "Russian warships visited the Philippines in January",
        "Two Russian navy vessels docked in Manila in January",
    ),
    (
        "Duterte will visit Moscow in May",
        "The Philippine president is set to travel to Russia in May",
    ),
    (
        "Economic ties between the Philippines and Russia are in their infancy",
        "Trade relations between Manila and Moscow have barely begun",
    ),
    (
        "Russia can export mining and agriculture technologies to the Philippines",
        "Russian mining and farming technology could be sold to the Philippines",
    ),
    (
        "The Philippines has never held joint military exercises with Russia",
        "Philippine and Russian forces have never trained together in joint exercises",
    ),
    (
        "Unemployment fell to 4.1 percent in March, the lowest since 1999",
        "The jobless rate dropped to 4.1% in March, a low not seen since 1999",
    ),
    (
        "Inflation rose 3.4 percent in 2019, the highest in a decade",
        "Prices climbed 3.4% in 2019, the fastest rise in ten years",
    ),
    (
        "The government spent $450 million on public transport since 2015",
        "Since 2015 the state has put 450 million dollars into buses and trains",
    ),
    (
        "Kenya gets 30 percent of its electricity from renewable sources",
        "Renewables supply 30% of Kenya's power",
    ),
    (
        "More than 25,000 people were displaced by the floods in Cebu in March",
        "The March floods in Cebu forced over 25,000 residents from their homes",
    ),
    (
        "The opposition voted against the budget 14 times",
        "Opposition lawmakers rejected the budget on 14 occasions",
    ),
    (
        "The health ministry recorded 12,400 cases of measles in 2023",
        "There were 12,400 measles cases in 2023, according to the health ministry",
    ),
    (
        "Ghana imports 40 percent of its food",
        "Two-fifths of the food eaten in Ghana is imported",
    ),
    (
        "The minimum wage is worth 12 percent less than it was in 1990",
        "In real terms the minimum wage has lost 12% of its value since 1990",
    ),
    (
        "Rice prices have doubled since the typhoon hit Luzon",
        "Since the typhoon struck Luzon, the price of rice has risen twofold",
    ),
    (
        "The city has lost 3,000 hospital beds in a decade",
        "Over the last ten years the city's hospitals have cut 3,000 beds",
    ),
    (
        "The police hired 2,000 new officers last year",
        "Last year 2,000 officers joined the police force",
    ),
    (
        "Public debt reached 61 percent of GDP at the end of June",
        "By the end of June, government debt stood at 61% of gross domestic product",
    ),
    (
        "Coal still produces 60 percent of the country's electricity",
        "Sixty percent of the nation's power still comes from coal",
    ),
    (
        "The mayor promised 10,000 new homes by 2028",
        "The mayor pledged to build 10,000 houses by 2028",
    ),
    (
        "Teachers earn less than nurses in 14 of 17 regions",
        "In 14 out of 17 regions, nurses are paid more than teachers",
    ),
    (
        "Violent crime fell by a fifth after the curfew was lifted",
        "Violent crime dropped 20 percent once the curfew ended",
    ),
    (
        "China is the Philippines' largest trading partner",
        "The Philippines trades more with China than with any other country",
    ),
    (
        "The senator missed 40 percent of the votes in 2023",
        "In 2023 the senator was absent for 40% of votes",
    ),
    (
        "Only 12 of 81 provinces met the vaccination target",
        "Just 12 provinces out of 81 reached the vaccination goal",
    ),
    (
        "Half of all new cars sold in Norway last year were electric",
        "Electric vehicles made up 50 percent of new car sales in Norway last year",
    ),
    (
        "Tourist arrivals in Cebu recovered to 2019 levels",
        "Cebu is welcoming as many tourists as it did in 2019",
    ),
]

# Written after the aliases were chosen with PAIRS, and not used to choose them: how similar claims does on
# paraphrases it was not tuned on.
HELD_OUT = [
    (
        "Russia and the Philippines signed 10 agreements during Duterte's visit",
        "Ten deals were signed by Manila and Moscow while Duterte was in Russia",
    ),
    (
        "The Philippines bought no weapons from Russia before 2017",
        "Until 2017, Manila had never purchased Russian arms",
    ),
    (
        "Russia offered the Philippines submarines and fighter jets",
        "Moscow has offered Manila fighter aircraft and submarines",
    ),
    (
        "Exports to Russia were worth $200 million in 2016",
        "In 2016 the Philippines sold $200m of goods to Russia",
    ),
    (
        "Remittances from the Gulf states fell by a third during the pandemic",
        "Money sent home from the Gulf dropped 33 percent in the pandemic",
    ),
    (
        "The unemployment rate among young people is 18 percent",
        "Youth unemployment stands at 18%",
    ),
    (
        "The city built 45 kilometres of bike lanes in 2022",
        "In 2022 the city added 45 km of cycle lanes",
    ),
    (
        "Only one in ten nurses trained in the country stays to work here",
        "Ninety percent of locally trained nurses leave to work abroad",
    ),
    (
        "The school dropout rate has fallen every year since 2012",
        "Fewer pupils have dropped out of school each year since 2012",
    ),
    (
        "Electricity prices in Manila are the highest in Southeast Asia",
        "Manila pays more for power than any other city in Southeast Asia",
    ),
    (
        "The governor has spent 2.3 billion pesos on roads since taking office",
        "Since he took office the governor has put P2.3 billion into roads",
    ),
    (
        "More than 60 journalists have been killed in the country since 2016",
        "Over 60 reporters have been murdered in the country since 2016",
    ),
    (
        "Rice imports rose 25 percent last year",
        "Last year the country imported 25% more rice",
    ),
    (
        "The president's approval rating dropped to 45 percent in June",
        "In June, 45% of voters approved of the president, down from earlier",
    ),
    (
        "The tax cut will cost the government $1.5 billion a year",
        "The government will lose 1.5 billion dollars a year in revenue from the tax cut",
    ),
    (
        "Hospitals in Cebu have 2.1 beds for every 1,000 residents",
        "Cebu has 2.1 hospital beds per 1,000 people",
    ),
    (
        "Mining accounts for 1 percent of the Philippine economy",
        "Mining makes up just 1% of the Philippines' GDP",
    ),
    (
        "Beijing is Manila's biggest source of imports",
        "The Philippines imports more from China than from anywhere else",
    ),
    (
        "The military budget doubled between 2015 and 2020",
        "Defense spending rose twofold from 2015 to 2020",
    ),
    (
        "Half of the country's households have no internet access",
        "50 percent of homes in the country are not connected to the internet",
    ),
]
